/** Integration tests: the real distribution, driven from outside (processes, files, sockets, network namespaces). */
package dev.nodeagent.it;
