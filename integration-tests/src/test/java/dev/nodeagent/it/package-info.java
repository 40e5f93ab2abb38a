/** End-to-end tests that boot the real distribution ({@code packaging/target/node-agent}): real files, sockets, tools, namespaces. */
package dev.nodeagent.it;
