package dev.nodeagent.api.control;

import dev.nodeagent.api.json.ApiTreeReader;
import dev.nodeagent.api.json.ApiTrees;
import dev.nodeagent.api.json.PlainJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * The control-socket protocol, defined once. A connection carries one request and one response, each a single
 * line of compact JSON ended by {@code \n}: the records as {@link ApiTrees} lays them out (databind's layout),
 * written and read on jackson-core alone ({@link PlainJson}, {@link ApiTreeReader}), so neither the daemon nor
 * {@code agentctl} loads databind's ≈640 classes. The client states its protocol version in every
 * request ({@code v}); the daemon answers a version it does not speak with {@link #ERR_UNSUPPORTED_VERSION}
 * instead of guessing. A request longer than {@link #MAX_REQUEST_BYTES} is answered with {@link #ERR_FRAME_TOO_LARGE}
 * and the connection closed; one that is not valid JSON with {@link #ERR_BAD_REQUEST}.
 *
 * <p>Version history: 1 — status, resync, check, version.
 */
public final class ControlProtocol {

    public static final int VERSION = 1;

    /** Requests are tiny (an op and a few names); anything past this is garbage or an attack. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Responses carry the whole status; far below this even with many reconcilers and checks. */
    public static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    public static final String OP_STATUS = "status";
    public static final String OP_RESYNC = "resync";
    public static final String OP_CHECK = "check";
    public static final String OP_VERSION = "version";
    public static final List<String> OPS = List.of(OP_STATUS, OP_RESYNC, OP_CHECK, OP_VERSION);

    public static final String ERR_BAD_REQUEST = "BadRequest";
    public static final String ERR_FRAME_TOO_LARGE = "FrameTooLarge";
    public static final String ERR_UNSUPPORTED_VERSION = "UnsupportedVersion";
    public static final String ERR_UNKNOWN_OP = "UnknownOp";
    public static final String ERR_UNKNOWN_RECONCILER = "UnknownReconciler";
    public static final String ERR_NOT_AUTHORIZED = "NotAuthorized";
    public static final String ERR_BUSY = "Busy";
    public static final String ERR_TIMEOUT = "Timeout";
    public static final String ERR_INTERNAL = "Internal";

    private ControlProtocol() {
    }

    /** One frame: compact JSON plus the terminating newline. */
    public static byte[] encode(ControlResponse message) {
        return frame(PlainJson.writeBytes(ApiTrees.response(message)));
    }

    /** One frame: compact JSON plus the terminating newline. */
    public static byte[] encode(ControlRequest message) {
        return frame(PlainJson.writeBytes(ApiTrees.request(message)));
    }

    private static byte[] frame(byte[] json) {
        byte[] frame = Arrays.copyOf(json, json.length + 1);
        frame[json.length] = '\n';
        return frame;
    }

    /** @throws ProtocolException ({@link #ERR_BAD_REQUEST}) when the line is not a JSON request object. */
    public static ControlRequest decodeRequest(String line) throws ProtocolException {
        ControlRequest r;
        try {
            r = ApiTreeReader.request(PlainJson.parse(line));
        } catch (JacksonException e) {
            throw new ProtocolException(ERR_BAD_REQUEST, "request is not a JSON object: " + firstLine(e.getOriginalMessage()));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ERR_BAD_REQUEST, "not a control request: " + firstLine(e.getMessage()));
        }
        if (r == null || r.op() == null) {
            throw new ProtocolException(ERR_BAD_REQUEST, "request has no \"op\"; expected one of " + OPS);
        }
        return r;
    }

    /** @throws ProtocolException when the line is not a JSON response object. */
    public static ControlResponse decodeResponse(String line) throws ProtocolException {
        ControlResponse r;
        try {
            r = ApiTreeReader.response(PlainJson.parse(line));
        } catch (JacksonException e) {
            throw new ProtocolException(ERR_BAD_REQUEST, "response is not JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ERR_BAD_REQUEST, "not a control response: " + firstLine(e.getMessage()));
        }
        if (r == null) {
            throw new ProtocolException(ERR_BAD_REQUEST, "empty response");
        }
        return r;
    }

    /** How long a peer may take to accept a whole frame before the writer gives up. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Writes all of {@code frame}, however many writes the channel needs. A write that returns 0 is how a socket
     * send timeout ({@code SO_SNDTIMEO}) shows; after {@link #WRITE_TIMEOUT} in total this gives up, so a peer that
     * stopped reading cannot hold the writer forever.
     */
    public static void writeFrame(WritableByteChannel ch, byte[] frame) throws IOException {
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        ByteBuffer buf = ByteBuffer.wrap(frame);
        while (buf.hasRemaining()) {
            if (ch.write(buf) == 0 && System.nanoTime() - deadline > 0) {
                throw new IOException("peer did not read the frame within " + WRITE_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    /**
     * Reads one newline-terminated frame (without the newline). A channel read that returns 0 is how a socket
     * receive timeout ({@code SO_RCVTIMEO}) shows; reading continues until {@code timeout} has passed in total, so
     * a client dripping one byte a second cannot hold a thread forever.
     *
     * @throws ProtocolException {@link #ERR_FRAME_TOO_LARGE} past {@code maxBytes}, {@link #ERR_TIMEOUT} after
     *     {@code timeout}, {@link #ERR_BAD_REQUEST} when the peer closes before a newline
     */
    public static String readFrame(ReadableByteChannel ch, int maxBytes, Duration timeout)
            throws IOException, ProtocolException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new ProtocolException(ERR_BAD_REQUEST, line.size() == 0
                        ? "connection closed before a frame was sent"
                        : "connection closed in the middle of a frame (no newline after " + line.size() + " bytes)");
            }
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                if (line.size() >= maxBytes) {
                    throw new ProtocolException(ERR_FRAME_TOO_LARGE, "frame larger than " + maxBytes + " bytes");
                }
                line.write(b);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ProtocolException(ERR_TIMEOUT, "no complete frame within " + timeout.toMillis() + " ms");
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable";
        }
        int nl = s.indexOf('\n');
        String one = nl < 0 ? s : s.substring(0, nl);
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    /** A protocol-level failure with its wire error token. */
    public static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String error;

        public ProtocolException(String error, String message) {
            super(message);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }
}
