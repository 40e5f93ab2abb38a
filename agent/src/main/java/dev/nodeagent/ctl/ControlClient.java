package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request, one response over the daemon's control socket. Every way of not getting an answer — no socket,
 * nobody listening, no permission, refused by the daemon, no reply in time — is an {@link UnreachableException}
 * carrying the operator hint, so commands map it to exit code 3 in one place.
 *
 * <p>Uses the JDK's own Unix-domain {@link SocketChannel} rather than jnr-unixsocket (which only the daemon needs,
 * for SO_PEERCRED): jnr loads jnr-ffi/jffi and extracts a native library on every start, which was most of
 * {@code agentctl status}'s start-up. The JDK channel has no receive timeout, so a watchdog thread closes the
 * channel when the deadline passes; the blocked write or read then fails and is reported as "no answer".
 */
public final class ControlClient {

    private final Path socket;

    public ControlClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** A decoded response plus the exact line it came from (so {@code -o json} can print the daemon's own JSON). */
    public record Reply(ControlResponse response, String raw) {
    }

    /** @param timeout how long to wait for the answer after sending the request */
    public Reply call(ControlRequest request, Duration timeout) throws UnreachableException, ProtocolException {
        byte[] frame = ControlProtocol.encode(request); // before connecting: the daemon's read deadline starts at accept
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new UnreachableException(socket, String.valueOf(e.getMessage()));
        }
        AtomicBoolean expired = new AtomicBoolean();
        Thread watchdog = watchdog(ch, timeout, expired);
        try (ch) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new UnreachableException(socket, expired.get() ? noAnswer(timeout) : String.valueOf(e.getMessage()));
            }
            try {
                ControlProtocol.writeFrame(ch, frame);
            } catch (IOException e) {
                // The daemon may have answered (e.g. refused us) and closed before we wrote; read that answer.
            }
            String line;
            try {
                line = ControlProtocol.readFrame(ch, ControlProtocol.MAX_RESPONSE_BYTES, timeout);
            } catch (IOException e) {
                throw new UnreachableException(socket, expired.get() ? noAnswer(timeout) : "connection failed: " + e.getMessage());
            } catch (ProtocolException e) {
                throw new UnreachableException(socket, ControlProtocol.ERR_TIMEOUT.equals(e.error())
                        ? noAnswer(timeout) : "the daemon closed the connection without answering");
            }
            ControlResponse response = ControlProtocol.decodeResponse(line);
            if (!response.ok() && ControlProtocol.ERR_NOT_AUTHORIZED.equals(response.error())) {
                throw new UnreachableException(socket, "refused by node-agent: " + response.message());
            }
            return new Reply(response, line);
        } catch (IOException e) {
            throw new UnreachableException(socket, String.valueOf(e.getMessage()));
        } finally {
            watchdog.interrupt();
        }
    }

    private static String noAnswer(Duration timeout) {
        return "no answer within " + timeout.toSeconds() + "s";
    }

    /**
     * Closes {@code ch} after {@code timeout} unless interrupted first (the call finished). A plain daemon thread,
     * not a virtual one: starting the virtual-thread scheduler costs more start-up than one sleeping thread.
     */
    private static Thread watchdog(SocketChannel ch, Duration timeout, AtomicBoolean expired) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(timeout);
            } catch (InterruptedException e) {
                return;
            }
            expired.set(true);
            try {
                ch.close();
            } catch (IOException e) {
                // closing is best effort; the blocked call fails either way
            }
        }, "agentctl-timeout");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The daemon could not be asked. {@link #getMessage()} is the full text for stderr, hint included. */
    public static final class UnreachableException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnreachableException(Path socket, String cause) {
            super("cannot reach node-agent at " + socket + ": " + cause + "\n" + hint(cause));
        }

        static String hint(String cause) {
            String c = cause.toLowerCase(java.util.Locale.ROOT);
            if (c.contains("permission denied") || c.contains("not authorized") || c.contains("refused by node-agent")) {
                return "hint: the control socket is for root and the agent's user (and controlSocketGroup members, if set);"
                        + " try sudo, or ask for that group";
            }
            if (c.contains("no such file") || c.contains("connection refused")) {
                return "hint: is node-agent running? (systemctl status node-agent; journalctl -u node-agent)"
                        + "\n      is this its socket? (--socket PATH or NODE_AGENT_SOCKET; the config's controlSocket)";
            }
            return "hint: is node-agent running and healthy? (systemctl status node-agent; journalctl -u node-agent)";
        }
    }
}
