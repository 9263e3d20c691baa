package io.dialerbridge.kafka;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bridge's log as a user sees it (after the levels of log4j2.properties), held in memory while a
 * test runs: for counting the lines a failure produces and for checking that no secret is written.
 * Not a way to wait for events: tests wait on readiness, offsets or files.
 */
public final class CapturedLog implements AutoCloseable {

    /** One line: level, logger, message and the messages of its causes (where a secret could also hide). */
    public record Line(Level level, String logger, String text) {
        @Override
        public String toString() {
            return level + " " + logger + " - " + text;
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;

    private CapturedLog() {
        appender = new AbstractAppender("captured-" + System.identityHashCode(this), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder text = new StringBuilder(event.getMessage().getFormattedMessage());
                for (Throwable cause = event.getThrown(); cause != null; cause = cause.getCause()) {
                    text.append(" | ").append(cause);
                }
                lines.add(new Line(event.getLevel(), event.getLoggerName(), text.toString()));
            }
        };
    }

    /** Starts capturing every line that reaches the root logger's appenders. */
    public static CapturedLog start() {
        CapturedLog log = new CapturedLog();
        log.appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(log.appender, null, null);
        context.updateLoggers();
        return log;
    }

    /** The lines of the bridge's side (not the in-JVM broker's) at WARN or above. */
    public List<Line> bridgeWarnings() {
        return lines.stream()
                .filter(line -> line.level().isMoreSpecificThan(Level.WARN))
                .filter(line -> line.logger().startsWith("io.dialerbridge") || line.logger().startsWith("org.apache.camel")
                        || line.logger().startsWith("org.apache.kafka.clients"))
                .toList();
    }

    /** Every captured line. */
    public List<Line> all() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
