package dev.nodeagent.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nodeagent.api.control.ControlProtocol;
import dev.nodeagent.api.control.ControlProtocol.ProtocolException;
import dev.nodeagent.api.control.ControlRequest;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControlProtocolTest {

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("closed before anything", "", ControlProtocol.ERR_BAD_REQUEST),
                Arguments.of("closed mid-frame", "{\"v\":1", ControlProtocol.ERR_BAD_REQUEST),
                Arguments.of("longer than the limit", "x".repeat(ControlProtocol.MAX_REQUEST_BYTES + 1) + "\n",
                        ControlProtocol.ERR_FRAME_TOO_LARGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void badFramesAreProtocolErrors(String name, String wire, String error) {
        var ch = Channels.newChannel(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ControlProtocol.readFrame(ch, ControlProtocol.MAX_REQUEST_BYTES, Duration.ofSeconds(1)));
        assertEquals(error, e.error(), name);
    }

    @Test
    void aRequestRoundTripsThroughOneLine() throws Exception {
        byte[] frame = ControlProtocol.encode(ControlRequest.resync(List.of("cert-bundle"), true, 5000));
        String line = ControlProtocol.readFrame(Channels.newChannel(new ByteArrayInputStream(frame)),
                ControlProtocol.MAX_REQUEST_BYTES, Duration.ofSeconds(1));
        assertEquals(frame.length - 1, line.length(), "exactly one newline, at the end");
        assertEquals(ControlRequest.resync(List.of("cert-bundle"), true, 5000), ControlProtocol.decodeRequest(line));
    }

    @Test
    void garbageAndRequestsWithoutOpAreBadRequests() {
        assertEquals(ControlProtocol.ERR_BAD_REQUEST,
                assertThrows(ProtocolException.class, () -> ControlProtocol.decodeRequest("hello")).error());
        assertEquals(ControlProtocol.ERR_BAD_REQUEST,
                assertThrows(ProtocolException.class, () -> ControlProtocol.decodeRequest("{\"v\":1}")).error());
        assertEquals(ControlProtocol.ERR_BAD_REQUEST,
                assertThrows(ProtocolException.class, () -> ControlProtocol.decodeRequest("[1,2]")).error());
    }
}
