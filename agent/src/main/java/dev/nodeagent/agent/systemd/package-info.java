/** Talking to systemd: sd_notify (READY, STATUS, WATCHDOG, STOPPING) over the NOTIFY_SOCKET datagram socket. */
package dev.nodeagent.agent.systemd;
