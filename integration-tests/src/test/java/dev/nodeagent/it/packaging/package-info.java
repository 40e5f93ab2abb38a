/** End-to-end tests of what packaging/ ships: the jlink runtime, the AOT cache, the .deb, Nix and observability files. */
package dev.nodeagent.it.packaging;
