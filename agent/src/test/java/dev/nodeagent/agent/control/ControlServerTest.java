package dev.nodeagent.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nodeagent.agent.metrics.AgentMetrics;
import dev.nodeagent.agent.engine.Backoff;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.engine.ReconcilerRunner;
import dev.nodeagent.agent.engine.ScheduledReconciler;
import dev.nodeagent.agent.engine.Scheduler;
import dev.nodeagent.agent.status.StatusStore;
import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import dev.nodeagent.api.control.ReconcilerResult;
import dev.nodeagent.ctl.ControlClient;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real control server on a real socket in a temp dir, with a real (running) scheduler behind it. */
class ControlServerTest {

    @TempDir
    Path dir;
    Path sock;
    StatusStore status;
    AgentMetrics metrics;
    Scheduler scheduler;
    ControlHandler handler;

    @BeforeEach
    void setUp() {
        sock = dir.resolve("run/node-agent/control.sock");
        InstantSource clock = InstantSource.system();
        status = new StatusStore(clock, "n1", "worker", "1.2.3", List.of("one"));
        metrics = new AgentMetrics("1.2.3", List.of("one"));
        var one = new dev.nodeagent.agent.reconcile.Reconciler() {
            @Override
            public String name() {
                return "one";
            }

            @Override
            public Outcome reconcile(dev.nodeagent.agent.reconcile.ReconcileContext c) {
                return Outcome.ok(c.forced(), c.forced() ? "forced pass" : "scheduled pass");
            }
        };
        scheduler = new Scheduler(List.of(new ScheduledReconciler(one, Duration.ofHours(1), Duration.ofSeconds(5))),
                new ReconcilerRunner(status, metrics, clock), Backoff.DEFAULT, clock, RandomGenerator.getDefault());
        scheduler.start();
        handler = new ControlHandler(status, scheduler, "1.2.3");
    }

    @AfterEach
    void tearDown() {
        scheduler.stop(Duration.ofSeconds(2));
        metrics.close();
    }

    /** A generous read deadline: this machine may be loaded; the silent-client test makes its own short one. */
    ControlServer server() {
        return new ControlServer(sock, "", handler, Duration.ofSeconds(10));
    }

    ControlResponse ask(ControlRequest req) throws Exception {
        return new ControlClient(sock).call(req, Duration.ofSeconds(10)).response();
    }

    @Test
    void servesStatusVersionAndAWaitedResyncOnAnOwnerOnlySocket() throws Exception {
        try (ControlServer s = server().start()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals("n1", ask(ControlRequest.of(ControlProtocol.OP_STATUS)).status().node());
            assertEquals("1.2.3", ask(ControlRequest.of(ControlProtocol.OP_VERSION)).version().version());
            ReconcilerResult r = ask(ControlRequest.resync(List.of("one"), true, 5000)).results().get(0);
            assertEquals("ok", r.state());
            assertEquals("forced pass", r.message());
            ControlResponse unknown = ask(ControlRequest.resync(List.of("two"), false, 0));
            assertEquals(ControlProtocol.ERR_UNKNOWN_RECONCILER, unknown.error());
            assertEquals(List.of("one"), unknown.validNames());
        }
        assertFalse(Files.exists(sock), "the socket file is removed on close");
    }

    @Test
    void aSecondServerRefusesWhileTheFirstIsLiveAndLeavesItServing() throws Exception {
        try (ControlServer first = server().start(); ControlServer second = server()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
            assertTrue(e.getMessage().contains("another node-agent is already serving " + sock + " (pid "
                    + ProcessHandle.current().pid() + ")"), e.getMessage());
            second.close();
            assertEquals("n1", ask(ControlRequest.of(ControlProtocol.OP_STATUS)).status().node());
        }
    }

    @Test
    void aStaleSocketFileIsReplacedButAnOrdinaryFileIsNot() throws Exception {
        Files.createDirectories(sock.getParent());
        UnixServerSocketChannel crashed = UnixServerSocketChannel.open();
        crashed.socket().bind(new UnixSocketAddress(sock.toFile()));
        crashed.close(); // the file stays, nobody listens: what a crash leaves
        assertTrue(Files.exists(sock));
        try (ControlServer s = server().start()) {
            assertEquals("n1", ask(ControlRequest.of(ControlProtocol.OP_STATUS)).status().node());
        }
        Files.writeString(sock, "not a socket");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> server().start());
        assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
        assertEquals("not a socket", Files.readString(sock));
    }

    @Test
    void aGroupMakesTheSocket0660OwnedByThatGroup() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chgrp to another group needs root; skipped");
        try (ControlServer s = new ControlServer(sock, "nogroup", handler, Duration.ofSeconds(1)).start()) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals("nogroup", Files.readAttributes(sock, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).group().getName());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ControlServer(sock, "no-such-group-here", handler, Duration.ofSeconds(1)).start());
        assertTrue(e.getMessage().contains("controlSocketGroup 'no-such-group-here' does not exist"), e.getMessage());
    }

    @Test
    void aSilentClientAndAGarbageFrameGetErrorsAndTheServerKeepsServing() throws Exception {
        try (ControlServer s = new ControlServer(sock, "", handler, Duration.ofSeconds(1)).start()) {
            ask(ControlRequest.of(ControlProtocol.OP_STATUS)); // warm up the client side
            long t0 = System.nanoTime();
            try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                String timeout = readAll(silent);
                assertTrue(timeout.contains("\"error\":\"Timeout\""), timeout);
            }
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(8).toNanos(), "cut off near the 1 s deadline");
            try (SocketChannel garbage = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                garbage.write(ByteBuffer.wrap("{not json\n".getBytes(StandardCharsets.UTF_8)));
                String reply = readAll(garbage);
                assertTrue(reply.contains("\"error\":\"BadRequest\""), reply);
            }
            assertEquals("n1", ask(ControlRequest.of(ControlProtocol.OP_STATUS)).status().node());
        }
    }

    private static String readAll(SocketChannel ch) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (ch.read(buf) >= 0) {
            // until the server closes
        }
        buf.flip();
        return StandardCharsets.UTF_8.decode(buf).toString();
    }
}
