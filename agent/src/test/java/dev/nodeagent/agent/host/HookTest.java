package dev.nodeagent.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookTest {

    @Test
    void aListRunsExactlyAsThatArgvUnderSh() throws Exception {
        List<String> argv = List.of("printf", "[%s]", "a b", "it's", "$HOME", "*", "");
        Hook h = Hook.argv(argv, Duration.ofSeconds(10));
        assertEquals("printf '[%s]' 'a b' 'it'\\''s' '$HOME' '*' ''", h.command());
        CommandRunner.Result r = new CommandRunner().run(h.shellArgv(), h.timeout());
        assertEquals("[a b][it's][$HOME][*][]", r.stdout());
    }

    @Test
    void plainWordsStayReadable() {
        assertEquals("systemctl try-restart kubelet.service",
                Hook.argv(List.of("systemctl", "try-restart", "kubelet.service"), Duration.ofSeconds(1)).display());
    }
}
