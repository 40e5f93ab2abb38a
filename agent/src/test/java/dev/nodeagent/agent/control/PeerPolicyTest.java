package dev.nodeagent.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeerPolicyTest {

    static final int AGENT_UID = 990;
    static final int GROUP = 4242;
    @TempDir
    static Path proc;

    static Stream<Arguments> peers() throws IOException {
        // pid 77 is in the group only as a supplementary group; pid 78's status cannot be read
        Files.createDirectories(proc.resolve("77"));
        Files.writeString(proc.resolve("77/status"), "Name:\tagentctl\nUid:\t1000\t1000\t1000\t1000\nGroups:\t27 4242 100 \n");
        return Stream.of(
                Arguments.of("root is always allowed", OptionalInt.empty(), 0, 0, 1, true),
                Arguments.of("the agent's own user is allowed", OptionalInt.empty(), AGENT_UID, 990, 1, true),
                Arguments.of("another user without a group configured is refused", OptionalInt.empty(), 1000, 1000, 77, false),
                Arguments.of("primary group member is allowed", OptionalInt.of(GROUP), 1000, GROUP, 78, true),
                Arguments.of("supplementary group member is allowed", OptionalInt.of(GROUP), 1000, 1000, 77, true),
                Arguments.of("non-member is refused", OptionalInt.of(GROUP), 1001, 1001, 78, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peers")
    void decidesByUidAndGroup(String name, OptionalInt group, int uid, int gid, int pid, boolean allowed) {
        var refusal = new PeerPolicy(AGENT_UID, group, "nodeagent", proc).refusal(uid, gid, pid);
        assertEquals(allowed, refusal.isEmpty(), name + ": " + refusal);
        refusal.ifPresent(msg -> {
            assertTrue(msg.startsWith("not authorized: uid " + uid), msg);
            assertTrue(msg.contains(group.isPresent() ? "not in group nodeagent (gid 4242)" : "set controlSocketGroup"), msg);
        });
    }
}
