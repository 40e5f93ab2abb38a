package dev.nodeagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.Reconcilers;
import org.junit.jupiter.api.Test;

class ControlSocketConfigTest {

    final ConfigLoader loader = new ConfigLoader(Reconcilers.configSections(), "node1");

    @Test
    void theSocketIsRootOnlyUnlessAGroupIsNamed() throws Exception {
        AgentConfig plain = loader.parse("node: {role: worker}\n", "a.yaml");
        assertEquals("/run/node-agent/control.sock", plain.controlSocket());
        assertEquals("", plain.controlSocketGroup());
        assertEquals("wheel", loader.parse("node: {role: worker}\ncontrolSocketGroup: wheel\n", "a.yaml").controlSocketGroup());
    }

    @Test
    void aGroupThatCannotBeAGroupNameIsReportedWithFileAndLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.parse("node: {role: worker}\ncontrolSocketGroup: 'ops team'\n", "a.yaml"));
        assertTrue(e.getMessage().contains("a.yaml:2: controlSocketGroup: must be a group name or number, not 'ops team'"),
                e.getMessage());
    }
}
