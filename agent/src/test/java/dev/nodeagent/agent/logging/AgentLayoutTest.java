package dev.nodeagent.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class AgentLayoutTest {

    private static String layout(boolean journal, Level level, String msg, Throwable t) {
        LoggerContext ctx = new LoggerContext();
        Logger logger = ctx.getLogger("dev.nodeagent.agent.engine.ReconcilerRunner");
        AgentLayout layout = new AgentLayout(journal);
        layout.setContext(ctx);
        layout.start();
        return layout.doLayout(new LoggingEvent(Logger.FQCN, logger, level, msg, t, null));
    }

    @Test
    void journalLinesCarryTheSyslogPriorityAndNoTimestamp() {
        assertEquals("<4>ReconcilerRunner: cert-bundle: failed\n", layout(true, Level.WARN, "cert-bundle: failed", null));
        assertEquals("<6>ReconcilerRunner: ok\n", layout(true, Level.INFO, "ok", null));
        assertEquals("<3>ReconcilerRunner: bad\n", layout(true, Level.ERROR, "bad", null));
        assertEquals("<7>ReconcilerRunner: detail\n", layout(true, Level.DEBUG, "detail", null));
    }

    @Test
    void terminalLinesHaveATimeAndLevel() {
        String line = layout(false, Level.INFO, "hello", null);
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ReconcilerRunner: hello\n"), line);
    }

    @Test
    void exceptionsAreOneSentenceUnlessDebugging() {
        String warn = layout(true, Level.WARN, "could not write", new java.io.IOException("disk full"));
        assertEquals("<4>ReconcilerRunner: could not write (java.io.IOException: disk full)\n", warn);
        String debug = layout(true, Level.DEBUG, "could not write", new java.io.IOException("disk full"));
        assertTrue(debug.contains("at dev.nodeagent"), debug);
    }
}
