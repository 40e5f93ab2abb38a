package dev.nodeagent.agent.control;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the control socket. {@link #start} refuses when a live agent already answers on the path, replaces a
 * stale socket file left by a crash, binds, and sets mode 0600 (no group) or 0660 with the configured group.
 * Every connection gets its peer's credentials checked (SO_PEERCRED) before a byte is read, one request of at most
 * {@link ControlProtocol#MAX_REQUEST_BYTES}, and a deadline: a slow or silent client is cut off, a malformed one
 * gets an error reply, and neither can crash the daemon or hold a thread. Connections run on a small pool of
 * platform threads (jnr's blocking native calls would pin virtual threads' carriers); past that, callers are
 * answered {@code Busy} at once.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    /** Linux sun_path is 108 bytes including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;
    static final int MAX_CONNECTIONS = 8;
    /** An oversized frame is swallowed up to this much so its sender can still read the error reply. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private final Path path;
    private final String group;
    private final ControlHandler handler;
    private final Duration readTimeout;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final ExecutorService workers = Executors.newFixedThreadPool(MAX_CONNECTIONS,
            Thread.ofPlatform().daemon().name("control-", 0).factory());
    private UnixServerSocketChannel server;
    private PeerPolicy policy;
    private Thread acceptor;
    private volatile boolean open;

    /**
     * @param path the socket file (already resolved under the host root)
     * @param group group allowed in besides root and the agent's user; empty for none (mode 0600)
     * @param readTimeout how long a client has to send its whole request
     */
    public ControlServer(Path path, String group, ControlHandler handler, Duration readTimeout) {
        this.path = path.toAbsolutePath();
        this.group = group == null ? "" : group;
        this.handler = handler;
        this.readTimeout = readTimeout;
    }

    /** @throws IllegalStateException with a sentence for the operator when the socket cannot be served */
    public ControlServer start() {
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IllegalStateException("control socket path " + path + " is longer than " + MAX_PATH_BYTES
                    + " bytes (the Unix socket limit); choose a shorter controlSocket or hostRoot");
        }
        try {
            Files.createDirectories(path.getParent());
            replaceStale();
            server = UnixServerSocketChannel.open();
            server.socket().bind(new UnixSocketAddress(path.toFile()));
            // bind() created the file with the umask's mode; connections made before the chmod are still
            // checked by PeerPolicy, so the brief window lets nobody in.
            OptionalInt gid = applyOwnership();
            policy = new PeerPolicy(PeerPolicy.currentUid(), gid, group, Path.of("/proc"));
        } catch (IOException e) {
            close();
            throw new IllegalStateException("cannot serve control socket " + path + ": " + e.getMessage(), e);
        }
        open = true;
        acceptor = Thread.ofPlatform().daemon().name("control-accept").start(this::acceptLoop);
        LOG.info("control socket {} (mode {}{})", path, group.isEmpty() ? "0600" : "0660",
                group.isEmpty() ? "" : ", group " + group);
        return this;
    }

    public Path path() {
        return path;
    }

    /** A live agent there → refuse; a socket nobody answers → stale, remove; anything else → refuse to touch it. */
    private void replaceStale() throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!"socket".equals(fileType(path))) {
            throw new IOException(path + " exists and is not a socket; not replacing it");
        }
        try (UnixSocketChannel probe = UnixSocketChannel.open(new UnixSocketAddress(path.toFile()))) {
            Credentials c = probe.getOption(UnixSocketOptions.SO_PEERCRED);
            throw new IllegalStateException("another node-agent is already serving " + path + " (pid " + c.getPid()
                    + "); stop it first, or give this one another controlSocket");
        } catch (IOException refused) {
            LOG.info("replacing stale control socket {} ({})", path, refused.getMessage());
            Files.delete(path);
        }
    }

    private static String fileType(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0140000 ? "socket" : "other";
    }

    private OptionalInt applyOwnership() throws IOException {
        if (group.isEmpty()) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return OptionalInt.empty();
        }
        GroupPrincipal g;
        try {
            g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (IOException e) {
            throw new IOException("controlSocketGroup '" + group + "' does not exist on this host");
        }
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        return OptionalInt.of((Integer) Files.getAttribute(path, "unix:gid"));
    }

    private void acceptLoop() {
        while (open) {
            UnixSocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (open) {
                    LOG.warn("control socket accept failed: {}", e.getMessage());
                    sleepQuietly();
                }
                continue;
            }
            if (ch == null) {
                continue;
            }
            if (!open) { // the wake-up connection from close()
                closeQuietly(ch);
                break;
            }
            if (!slots.tryAcquire()) {
                refuseBusy(ch);
                continue;
            }
            try {
                workers.execute(() -> {
                    try {
                        serve(ch);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) { // rejected: shutting down
                slots.release();
                closeQuietly(ch);
            }
        }
    }

    private void serve(UnixSocketChannel ch) {
        int uid = -1;
        int pid = -1;
        try (ch) {
            // Bound every blocking call: a read returns 0 after 500 ms of silence (readFrame keeps the total
            // deadline); a write to a client that stopped reading gives up after ControlProtocol.WRITE_TIMEOUT.
            ch.setOption(UnixSocketOptions.SO_RCVTIMEO, 500);
            ch.setOption(UnixSocketOptions.SO_SNDTIMEO, 1000);
            Credentials peer = ch.getOption(UnixSocketOptions.SO_PEERCRED);
            uid = peer.getUid();
            pid = peer.getPid();
            var refusal = policy.refusal(uid, peer.getGid(), pid);
            if (refusal.isPresent()) {
                LOG.warn("control socket: refused uid={} gid={} pid={}: {}", uid, peer.getGid(), pid, refusal.get());
                reply(ch, ControlResponse.error(ControlProtocol.ERR_NOT_AUTHORIZED, refusal.get()));
                return;
            }
            ControlResponse response;
            try {
                ControlRequest req = ControlProtocol.decodeRequest(
                        ControlProtocol.readFrame(ch, ControlProtocol.MAX_REQUEST_BYTES, readTimeout));
                LOG.debug("control socket: {} from uid={} pid={}", req.op(), uid, pid);
                response = handler.handle(req);
            } catch (ProtocolException e) {
                LOG.info("control socket: bad request from uid={} pid={}: {} ({})", uid, pid, e.getMessage(), e.error());
                response = ControlResponse.error(e.error(), e.getMessage());
                if (ControlProtocol.ERR_FRAME_TOO_LARGE.equals(e.error())) {
                    reply(ch, response);
                    // Closing with unread input makes the kernel reset the connection and the client loses the
                    // reply; swallow the rest of the frame first (bounded in bytes and time).
                    drain(ch);
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("control socket: request from uid={} pid={} failed", uid, pid, e);
                response = ControlResponse.error(ControlProtocol.ERR_INTERNAL, "internal error: " + e.getClass().getSimpleName());
            }
            reply(ch, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("control socket: connection from uid={} pid={} ended: {}", uid, pid, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("control socket: connection from uid={} pid={} failed", uid, pid, e);
        }
    }

    private static void reply(UnixSocketChannel ch, ControlResponse response) throws IOException {
        if (ch.isOpen()) {
            ControlProtocol.writeFrame(ch, ControlProtocol.encode(response));
        }
    }

    /** Reads and discards input until EOF, {@link #DRAIN_LIMIT} bytes or 3 s, whichever comes first. */
    private static void drain(UnixSocketChannel ch) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long total = 0;
        while (total < DRAIN_LIMIT && System.nanoTime() - deadline < 0) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                return;
            }
            total += n;
        }
    }

    private static void refuseBusy(UnixSocketChannel ch) {
        try (ch) {
            ch.setOption(UnixSocketOptions.SO_SNDTIMEO, 200);
            reply(ch, ControlResponse.error(ControlProtocol.ERR_BUSY,
                    "the agent is already serving " + MAX_CONNECTIONS + " control connections; try again"));
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static void closeQuietly(UnixSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting, removes the socket file (only if it is ours), and gives open requests a moment to end. */
    @Override
    public void close() {
        boolean wasOpen = open;
        open = false;
        if (wasOpen && acceptor != null) {
            // close() does not wake a thread blocked in accept(); a connection of our own does.
            try (UnixSocketChannel ignored = UnixSocketChannel.open(new UnixSocketAddress(path.toFile()))) {
                acceptor.join(Duration.ofSeconds(1));
            } catch (IOException ignored) {
                // the listener is gone already
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (wasOpen) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("could not remove control socket {}: {}", path, e.getMessage());
            }
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
