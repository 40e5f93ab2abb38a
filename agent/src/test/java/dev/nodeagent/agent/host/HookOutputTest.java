package dev.nodeagent.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HookOutputTest {

    @ParameterizedTest(name = "BEGIN {0}PRIVATE KEY")
    @ValueSource(strings = {"RSA ", "EC ", "", "OPENSSH ", "ENCRYPTED "})
    void privateKeyBlocksNeverReachTheLog(String kind) {
        String out = "before\n-----BEGIN " + kind + "PRIVATE KEY-----\nMIIEsecretsecret\nMORESECRET\n-----END " + kind
                + "PRIVATE KEY-----\nafter\n";
        List<String> lines = HookOutput.forLog(out);
        assertEquals(List.of("before", HookOutput.REDACTED, "after"), lines);
    }

    @Test
    void aKeyCutOffByTheOutputCapAndAgeIdentitiesAreRedactedToo() {
        String out = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ done\n"
                + "-----BEGIN PRIVATE KEY-----\nMIIEsecret";
        String logged = String.join("\n", HookOutput.forLog(out));
        assertFalse(logged.contains("QQQQ") || logged.contains("MIIE"), logged);
        assertFalse(HookOutput.lastLine(out).contains("MIIE"));
    }

    @Test
    void onlyTheLastLinesAreLoggedEachCut() {
        String out = IntStream.rangeClosed(1, 50).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"))
                + "\n" + "x".repeat(1000) + "\n";
        List<String> lines = HookOutput.forLog(out);
        assertEquals(HookOutput.MAX_LINES + 1, lines.size());
        assertEquals("… 31 earlier line(s) not logged", lines.getFirst());
        assertEquals("line 32", lines.get(1));
        assertTrue(lines.getLast().endsWith("… (700 more chars)"), lines.getLast());
        assertEquals(HookOutput.MAX_MESSAGE_CHARS + "… (800 more chars)".length(), HookOutput.lastLine(out).length());
    }
}
