package dev.nodeagent.ctl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlRequest;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK-socket client's own failure paths (the daemon side is covered by ControlServerTest and ControlSocketIT). */
class ControlClientTest {

    @Test
    void aDaemonThatAcceptsButNeverAnswersIsUnreachableAfterTheTimeout(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            long start = System.nanoTime();
            // Preemptive: without the watchdog the JDK channel's blocking read would wait forever.
            ControlClient.UnreachableException e = assertTimeoutPreemptively(Duration.ofSeconds(15),
                    () -> assertThrows(ControlClient.UnreachableException.class, () -> new ControlClient(sock)
                            .call(ControlRequest.of(ControlProtocol.OP_STATUS), Duration.ofSeconds(1))));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("cannot reach node-agent at " + sock + ": no answer within 1s"), e.getMessage());
            assertTrue(e.getMessage().contains("hint: is node-agent running and healthy?"), e.getMessage());
            assertTrue(tookMs >= 900 && tookMs < 10_000, "gave up after " + tookMs + " ms");
        }
    }

    @Test
    void aDaemonThatClosesWithoutAnsweringIsUnreachable(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread closer = Thread.ofPlatform().start(() -> {
                try (SocketChannel c = server.accept()) {
                    // read the request, then hang up (unread data would make the kernel reset the connection)
                    ControlProtocol.readFrame(c, ControlProtocol.MAX_RESPONSE_BYTES, Duration.ofSeconds(5));
                } catch (java.io.IOException | ControlProtocol.ProtocolException ignored) {
                    // the test fails on the client side if this goes wrong
                }
            });
            ControlClient.UnreachableException e = assertThrows(ControlClient.UnreachableException.class,
                    () -> new ControlClient(sock).call(ControlRequest.of(ControlProtocol.OP_STATUS), Duration.ofSeconds(5)));
            closer.join();
            assertTrue(e.getMessage().contains("the daemon closed the connection without answering"), e.getMessage());
        }
    }
}
