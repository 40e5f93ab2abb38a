package dev.nodeagent.agent.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sd_notify(3) transport: one datagram per message to {@code $NOTIFY_SOCKET}, a path or an abstract-namespace
 * name written {@code @name}. jnr-unixsocket because the JDK has no Unix datagram sockets. A no-op when
 * NOTIFY_SOCKET is unset (not started by systemd, or {@code Type=simple}); a failed send is logged, never thrown —
 * notification must not take the agent down.
 */
public final class SdNotify {

    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    private final String address;
    private final Duration watchdogInterval;

    /**
     * @param address NOTIFY_SOCKET as systemd sets it, or null to disable
     * @param watchdogInterval how often to ping (half of WATCHDOG_USEC), or null when there is no watchdog
     */
    public SdNotify(String address, Duration watchdogInterval) {
        this.address = address == null || address.isBlank() ? null : address;
        this.watchdogInterval = watchdogInterval;
    }

    /**
     * From the environment: NOTIFY_SOCKET, and WATCHDOG_USEC (ignored when WATCHDOG_PID names another process,
     * which happens when the agent was started by a wrapper that got the variables first).
     */
    public static SdNotify fromEnvironment(Map<String, String> env, long ownPid) {
        Duration wd = null;
        String usec = env.get("WATCHDOG_USEC");
        String wdPid = env.get("WATCHDOG_PID");
        if (usec != null && (wdPid == null || wdPid.equals(Long.toString(ownPid)))) {
            try {
                long us = Long.parseLong(usec.trim());
                if (us > 0) {
                    wd = Duration.ofNanos(us * 1000 / 2);
                }
            } catch (NumberFormatException e) {
                LOG.warn("ignoring WATCHDOG_USEC={}: not a number", usec);
            }
        }
        return new SdNotify(env.get("NOTIFY_SOCKET"), wd);
    }

    public boolean enabled() {
        return address != null;
    }

    public Optional<Duration> watchdogInterval() {
        return enabled() ? Optional.ofNullable(watchdogInterval) : Optional.empty();
    }

    /** Sends {@code state} (e.g. {@code READY=1\nSTATUS=…}); returns false (and logs) when it could not. */
    public boolean send(String state) {
        if (address == null) {
            return false;
        }
        // A leading '@' means Linux's abstract namespace: the address starts with a NUL byte instead.
        String target = address.startsWith("@") ? "\0" + address.substring(1) : address;
        try (UnixDatagramChannel ch = UnixDatagramChannel.open()) {
            ch.send(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)), new UnixSocketAddress(target));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("sd_notify to {} failed: {}", address, e.getMessage());
            return false;
        }
    }
}
