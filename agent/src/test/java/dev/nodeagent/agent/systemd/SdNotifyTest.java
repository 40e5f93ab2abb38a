package dev.nodeagent.agent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdNotifyTest {

    @Test
    void sendsADatagramToAnAbstractNotifySocket() throws Exception {
        try (NotifyReceiver systemd = new NotifyReceiver(null)) {
            assertTrue(new SdNotify(systemd.notifySocket, null).send("READY=1\nSTATUS=ok"));
            assertEquals("READY=1\nSTATUS=ok", systemd.await("READY", Duration.ofSeconds(5)));
        }
    }

    @Test
    void sendsADatagramToANotifySocketPath(@TempDir Path dir) throws Exception {
        try (NotifyReceiver systemd = new NotifyReceiver(dir.resolve("notify"))) {
            assertTrue(new SdNotify(systemd.notifySocket, null).send("WATCHDOG=1"));
            assertEquals("WATCHDOG=1", systemd.await("WATCHDOG", Duration.ofSeconds(5)));
        }
    }

    @Test
    void isANoOpWithoutNotifySocket() {
        SdNotify n = SdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"), 42);
        assertFalse(n.enabled());
        assertFalse(n.send("READY=1"));
        assertEquals(Optional.empty(), n.watchdogInterval());
    }

    @Test
    void pingsAtHalfTheWatchdogPeriodOnlyWhenTheWatchdogIsForThisProcess() {
        assertEquals(Optional.of(Duration.ofSeconds(15)),
                SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000"), 42).watchdogInterval());
        assertEquals(Optional.of(Duration.ofSeconds(1)), SdNotify.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "2000000", "WATCHDOG_PID", "42"), 42).watchdogInterval());
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "2000000", "WATCHDOG_PID", "7"), 42).watchdogInterval());
        assertEquals(Optional.empty(), SdNotify.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "soon"), 42).watchdogInterval());
    }

    @Test
    void aMissingReceiverIsLoggedNotThrown(@TempDir Path dir) {
        assertFalse(new SdNotify(dir.resolve("nobody-listens").toString(), null).send("READY=1"));
    }
}
