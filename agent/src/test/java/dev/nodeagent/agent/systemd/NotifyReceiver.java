package dev.nodeagent.agent.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/** A stand-in for systemd's notify socket: a real Unix datagram socket, abstract or on a path, collecting messages. */
final class NotifyReceiver implements AutoCloseable {

    final String notifySocket;
    private final UnixDatagramChannel ch;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private volatile boolean open = true;

    /** @param path a socket file, or null for an abstract address ({@code @…}) */
    NotifyReceiver(java.nio.file.Path path) throws IOException {
        ch = UnixDatagramChannel.open();
        if (path == null) {
            String name = "node-agent-test-" + UUID.randomUUID();
            ch.bind(new UnixSocketAddress("\0" + name));
            notifySocket = "@" + name;
        } else {
            ch.bind(new UnixSocketAddress(path.toFile()));
            notifySocket = path.toString();
        }
        Thread.ofPlatform().daemon().name("notify-receiver").start(() -> {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (open) {
                try {
                    buf.clear();
                    ch.receive(buf);
                    buf.flip();
                    if (buf.hasRemaining()) {
                        messages.add(StandardCharsets.UTF_8.decode(buf).toString());
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** The next message containing {@code text}, skipping others; null after {@code timeout}. */
    String await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null || m.contains(text)) {
                return m;
            }
        }
    }

    /** Everything that arrives within {@code window}. */
    List<String> collect(Duration window) throws InterruptedException {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        String m;
        while ((m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            out.add(m);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        open = false;
        ch.close();
    }
}
