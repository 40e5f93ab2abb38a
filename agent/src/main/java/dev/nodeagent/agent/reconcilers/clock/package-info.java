/** {@code clock-skew}: the local clock against the API server's {@code Date} header and the kernel's sync state. */
package dev.nodeagent.agent.reconcilers.clock;
