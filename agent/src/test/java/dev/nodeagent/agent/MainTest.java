package dev.nodeagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodeagent.agent.MainArgs.Invocation;
import dev.nodeagent.agent.MainArgs.UsageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand-written command line: the options, help texts and usage errors picocli had. */
class MainTest {

    private static Invocation parse(String line) throws UsageException {
        return MainArgs.parse(line.isEmpty() ? new String[0] : line.split(" "));
    }

    @Test
    void runTakesConfigInEveryForm() throws UsageException {
        assertEquals(Path.of("/etc/node-agent/agent.yaml"), parse("run").config());
        for (String form : new String[] {"run --config /x.yaml", "run --config=/x.yaml", "run -c /x.yaml", "run -c=/x.yaml",
                "run -c/x.yaml"}) {
            Invocation inv = parse(form);
            assertEquals("run", inv.command(), form);
            assertEquals(Path.of("/x.yaml"), inv.config(), form);
        }
        assertEquals(Path.of("/y.yaml"), parse("check -c /y.yaml").config());
        assertEquals("check", parse("check -c /y.yaml").command());
    }

    @Test
    void checkConfigTakesOneFile() throws UsageException {
        assertEquals(Path.of("/a.yaml"), parse("check-config /a.yaml").config());
        assertEquals(Path.of("/etc/node-agent/agent.yaml"), parse("check-config").config());
        UsageException e = assertThrows(UsageException.class, () -> parse("check-config a b"));
        assertEquals("Unmatched argument at index 2: 'b'", e.getMessage());
        assertEquals("node-agent check-config", e.command);
    }

    @Test
    void demoOptions() throws UsageException {
        Invocation d = parse("demo");
        assertEquals(Path.of("node-agent-demo"), d.dir());
        assertEquals("127.0.0.1:9478", d.listen());
        assertFalse(d.setupOnly());
        d = parse("demo --dir /tmp/d --listen=127.0.0.1:1234 --setup-only");
        assertEquals(Path.of("/tmp/d"), d.dir());
        assertEquals("127.0.0.1:1234", d.listen());
        assertTrue(d.setupOnly());
    }

    @Test
    void helpAndVersion() throws UsageException {
        assertEquals(MainArgs.MAIN_HELP, parse("--help").text());
        assertEquals(MainArgs.MAIN_HELP, parse("-h").text());
        assertEquals(MainArgs.MAIN_HELP, parse("help").text());
        assertEquals(MainArgs.MAIN_HELP, parse("-h run").text());
        assertEquals(MainArgs.RUN_HELP, parse("run --help").text());
        assertEquals(MainArgs.RUN_HELP, parse("help run").text());
        assertEquals(MainArgs.DEMO_HELP, parse("demo -h").text());
        assertEquals(MainArgs.CHECK_CONFIG_HELP, parse("help check-config").text());
        assertEquals(MainArgs.CHECK_HELP, parse("check --help").text());
        assertEquals(MainArgs.HELP_HELP, parse("help --help").text());
        assertTrue(parse("--version").text().startsWith("node-agent "));
        assertTrue(parse("-V").text().startsWith("node-agent "));
        assertTrue(parse("run -V").text().startsWith("node-agent "));
        assertEquals("print", parse("demo --version").command());
        for (String cmd : new String[] {"run", "check-config", "check", "demo", "help"}) {
            assertTrue(MainArgs.MAIN_HELP.contains("\n  " + cmd + " "), "help lists " + cmd);
        }
        assertTrue(MainArgs.RUN_HELP.startsWith("Usage: node-agent run [-hV] [-c=FILE]\n"));
        assertTrue(MainArgs.MAIN_HELP.contains("2   bad usage or an invalid config"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                 | node-agent              | Missing required subcommand",
        "frobnicate         | node-agent              | Unmatched argument at index 0: 'frobnicate'",
        "--bogus            | node-agent              | Unknown option: '--bogus'",
        "help bogus         | node-agent              | Unknown subcommand 'bogus'.",
        "run extra          | node-agent run          | Unmatched argument at index 1: 'extra'",
        "run --config       | node-agent run          | Missing required parameter for option '--config' (FILE)",
        "run -c             | node-agent run          | Missing required parameter for option '--config' (FILE)",
        "run --bogus        | node-agent run          | Unknown option: '--bogus'",
        "run --dir /x       | node-agent run          | Unknown option: '--dir'",
        "check-config --bogus | node-agent check-config | Unknown option: '--bogus'",
        "check-config -c /x | node-agent check-config | Unknown option: '-c'",
        "demo --dir         | node-agent demo         | Missing required parameter for option '--dir' (DIR)",
        "demo --listen      | node-agent demo         | Missing required parameter for option '--listen' (ADDR)",
        "demo --config /x   | node-agent demo         | Unknown option: '--config'",
    })
    void usageErrors(String line, String command, String message) {
        UsageException e = assertThrows(UsageException.class, () -> parse(line));
        assertEquals(message, e.getMessage());
        assertEquals(command, e.command);
    }

    @Test
    void usageErrorExitsTwo() {
        assertEquals(2, Main.execute(new String[] {"frobnicate"}));
        assertEquals(2, Main.execute(new String[0]));
        assertEquals(0, Main.execute(new String[] {"--version"}));
    }
}
