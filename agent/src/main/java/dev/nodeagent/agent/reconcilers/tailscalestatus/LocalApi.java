package dev.nodeagent.agent.reconcilers.tailscalestatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * tailscaled's local API over its Unix socket, for nodes that run tailscaled without the CLI on the agent's PATH:
 * {@code GET /localapi/v0/status} returns the same {@code ipnstate.Status} JSON as {@code tailscale status --json}.
 * HTTP/1.0, so the daemon closes the connection after the body (no chunked encoding to undo). The JDK's HTTP
 * client cannot speak over Unix sockets, hence this much.
 */
final class LocalApi {

    static final int MAX_BYTES = 4 * 1024 * 1024;

    private LocalApi() {
    }

    static String status(Path socket, Duration timeout) throws IOException, InterruptedException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(exchange(ch, socket));
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(socket + ": no answer within " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            ch.close(); // also ends a read still blocked after a timeout
        }
    }

    private static String exchange(SocketChannel ch, Path socket) throws IOException {
        ch.connect(UnixDomainSocketAddress.of(socket));
        ch.write(ByteBuffer.wrap(("GET /localapi/v0/status HTTP/1.0\r\nHost: local-tailscaled.sock\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        while (ch.read(buf) >= 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
            if (out.size() > MAX_BYTES) {
                throw new IOException(socket + ": status larger than " + MAX_BYTES + " bytes");
            }
        }
        String all = out.toString(StandardCharsets.UTF_8);
        int split = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/") || split < 0) {
            throw new IOException(socket + ": not an HTTP answer");
        }
        String statusLine = all.substring(0, all.indexOf("\r\n"));
        if (!statusLine.matches("HTTP/1\\.[01] 200.*")) {
            throw new IOException(socket + ": local API answered '" + statusLine + "'");
        }
        return all.substring(split + 4);
    }
}
