package dev.nodeagent.ctl;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import dev.nodeagent.api.control.ControlResponse;
import dev.nodeagent.api.json.ApiTrees;
import dev.nodeagent.api.json.PlainJson;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JacksonException;

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

    /**
     * The daemon's answer: the exact line (so {@code -o json} can print the daemon's own JSON), its {@code ok},
     * {@code error} and {@code message} read from its plain JSON tree ({@link PlainJson}: maps and lists), and the
     * full {@link ControlResponse} decoded only when asked for; {@code status -o json} (what scripts get) never
     * needs it.
     */
    public static final class Reply {
        private final String raw;
        private final Map<?, ?> tree;
        private ControlResponse response;

        Reply(String raw, Map<?, ?> tree) {
            this.raw = raw;
            this.tree = tree;
        }

        public String raw() {
            return raw;
        }

        /** The parsed line; {@code tree().get("status")} is the status document. */
        public Map<?, ?> tree() {
            return tree;
        }

        public boolean ok() {
            return Boolean.TRUE.equals(tree.get("ok"));
        }

        public String error() {
            return text("error");
        }

        public String message() {
            return text("message");
        }

        private String text(String field) {
            return tree.get(field) instanceof String s ? s : null;
        }

        /** @throws UndecodableException when the line is JSON but not a response (what decodeResponse rejects) */
        public ControlResponse response() {
            if (response == null) {
                try {
                    response = ControlProtocol.decodeResponse(raw);
                } catch (ProtocolException e) {
                    throw new UndecodableException(e);
                }
            }
            return response;
        }
    }

    /** A response line that parsed as JSON but not as a {@link ControlResponse}; carries the protocol error. */
    public static final class UndecodableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UndecodableException(ProtocolException cause) {
            super(cause.getMessage(), cause);
        }

        public ProtocolException protocolException() {
            return (ProtocolException) getCause();
        }
    }

    /** The request frame: simple requests ({@code {"v":1,"op":"status"}}) without Jackson's record binding. */
    static byte[] encode(ControlRequest request) {
        // field by field: a record's equals() is bootstrapped through invokedynamic (≈20 ms of a 0.4 s command)
        if (request.v() == ControlProtocol.VERSION && request.names().isEmpty() && !request.await()
                && request.timeoutMillis() == 0 && request.op().matches("[a-z]+")) {
            return ("{\"v\":" + request.v() + ",\"op\":\"" + request.op() + "\"}\n").getBytes(StandardCharsets.UTF_8);
        }
        return ControlProtocol.encode(request);
    }

    /** Parses the response line as a JSON object; anything else is rejected as {@link ControlProtocol} rejects it. */
    static Reply parse(String line) throws ProtocolException {
        Object tree;
        try {
            tree = PlainJson.parse(line);
        } catch (JacksonException e) {
            tree = null;
        }
        if (!(tree instanceof Map<?, ?> m) || !plain(m.get("ok"), true) || !plain(m.get("error"), false)
                || !plain(m.get("message"), false)) {
            // not an object, or fields of the wrong type: let the record reader decide (and word the error)
            ControlResponse r = ControlProtocol.decodeResponse(line); // throws with the usual message
            return new Reply(line, ApiTrees.response(r));
        }
        return new Reply(line, m);
    }

    private static boolean plain(Object v, boolean bool) {
        return v == null || (bool ? v instanceof Boolean : v instanceof String);
    }

    /** @param timeout how long to wait for the answer after sending the request */
    public Reply call(ControlRequest request, Duration timeout) throws UnreachableException, ProtocolException {
        byte[] frame = encode(request); // before connecting: the daemon's read deadline starts at accept
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
            Reply reply = parse(line);
            if (!reply.ok() && ControlProtocol.ERR_NOT_AUTHORIZED.equals(reply.error())) {
                throw new UnreachableException(socket, "refused by node-agent: " + reply.message());
            }
            return reply;
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
