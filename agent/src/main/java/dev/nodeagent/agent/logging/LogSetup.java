package dev.nodeagent.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.nodeagent.agent.config.AgentConfig.LogFormat;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures Logback in code (no XML to parse at start-up). Under systemd ({@code JOURNAL_STREAM} set) lines carry
 * a {@code <N>} syslog priority prefix and no timestamp, which journald turns into real priorities; on a terminal
 * they are plain text with a time. Helidon's JUL logging is bridged into the same output.
 */
public final class LogSetup {

    private LogSetup() {
    }

    public static void configure(String level, LogFormat format) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        boolean journal = format == LogFormat.JOURNAL
                || (format == LogFormat.AUTO && System.getenv("JOURNAL_STREAM") != null);
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        AgentLayout layout = new AgentLayout(journal);
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("console");
        // stderr: stdout belongs to commands' output (agentctl decrypt writes plaintext there)
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
        // Third-party libraries speak up only when something is wrong.
        for (String noisy : new String[] {"io.helidon", "io.fabric8", "io.micrometer", "io.netty", "com.github.jnr"}) {
            ctx.getLogger(noisy).setLevel(Level.WARN);
        }
    }
}
