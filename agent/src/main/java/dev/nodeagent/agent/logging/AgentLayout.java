package dev.nodeagent.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line per event: {@code 12:00:01.234 INFO  Scheduler: message} on a terminal, {@code <6>Scheduler: message}
 * for journald (which adds its own timestamp). Stack traces only at DEBUG, so operators see sentences.
 */
final class AgentLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private final boolean journal;

    AgentLayout(boolean journal) {
        this.journal = journal;
    }

    @Override
    public String doLayout(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(128);
        if (journal) {
            sb.append('<').append(priority(e.getLevel())).append('>');
        } else {
            sb.append(TIME.format(Instant.ofEpochMilli(e.getTimeStamp()))).append(' ');
            sb.append(String.format("%-5s ", e.getLevel()));
        }
        String logger = e.getLoggerName();
        sb.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ").append(e.getFormattedMessage());
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            if (e.getLevel().toInt() <= Level.DEBUG_INT) {
                sb.append('\n').append(ThrowableProxyUtil.asString(t));
            } else {
                sb.append(" (").append(t.getClassName()).append(t.getMessage() == null ? "" : ": " + t.getMessage()).append(')');
            }
        }
        return sb.append('\n').toString();
    }

    /** syslog(3) priorities: err 3, warning 4, info 6, debug 7. */
    static int priority(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }
}
