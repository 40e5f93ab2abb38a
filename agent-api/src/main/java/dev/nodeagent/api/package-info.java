/** Plain data shared by the daemon and {@code agentctl}: nothing here does I/O or knows the daemon. */
package dev.nodeagent.api;
