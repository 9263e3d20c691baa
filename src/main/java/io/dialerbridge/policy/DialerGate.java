package io.dialerbridge.policy;

import io.dialerbridge.dialer.AnswerClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides when a request may go to the dialer. It closes for every project when the dialer refuses
 * the credentials (until a probe shows they work again), and for one project while a
 * {@code Retry-After} from the dialer runs, capped at a maximum so that a huge value is reported and
 * not silently obeyed. Senders wait at the gate; nothing is dead-lettered for either reason.
 *
 * <p>Once the bridge stops ({@link #stopWaiting}, called by {@code Bridge.close} on SIGTERM), a sender that
 * would have to wait gives up at once with {@link ShuttingDown} instead: its work is left unacknowledged
 * in its source (the file stays in the inbox and resumes from its journal, the Kafka offset is not
 * committed) and goes on the next start, so a stop does not wait out refused credentials or a pause.
 */
public final class DialerGate {

    private static final Logger LOG = LoggerFactory.getLogger(DialerGate.class);

    private final Clock clock;
    private final Duration maxRetryAfter;
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();
    private final AtomicLong cappedRetryAfters = new AtomicLong();
    private volatile String credentialsRefused;
    private volatile boolean stopping;

    public DialerGate(Clock clock, Duration maxRetryAfter) {
        this.clock = clock;
        this.maxRetryAfter = maxRetryAfter;
    }

    /**
     * Blocks until a request for this project may be sent.
     *
     * @throws ShuttingDown when the bridge stops while the request would have to wait (or waits)
     */
    public void awaitOpen(String projectId) throws InterruptedException {
        while (true) {
            long waitMillis;
            synchronized (this) {
                waitMillis = credentialsRefused != null ? 1000 : pauseLeft(projectId).toMillis();
                if (waitMillis <= 0) {
                    return;
                }
                if (stopping) {
                    throw new ShuttingDown("shutting down: a request to project " + projectId + " waiting at the dialer gate ("
                            + (credentialsRefused != null ? "the dialer refused the credentials, " + credentialsRefused
                            : "Retry-After") + ") was not sent; its elements stay unacknowledged in their source and go on the next start");
                }
                wait(Math.min(waitMillis, 1000));
            }
        }
    }

    /** Reads the dialer's answer: refused credentials close the gate, a Retry-After pauses the project. */
    public void answered(String projectId, int httpStatus, String retryAfter) {
        if (AnswerClass.of(httpStatus) == AnswerClass.CREDENTIALS_REFUSED) {
            refuseCredentials("HTTP " + httpStatus);
        } else if (AnswerClass.carriesRetryAfter(httpStatus) && retryAfter != null && !retryAfter.isBlank()) {
            pause(projectId, retryAfter);
        }
    }

    void pause(String projectId, String retryAfter) {
        Duration asked = parseRetryAfter(retryAfter, clock.instant());
        if (asked == null) {
            LOG.warn("Ignoring an unreadable Retry-After '{}' from the dialer for project {}", retryAfter, projectId);
            return;
        }
        Duration pause = asked;
        if (asked.compareTo(maxRetryAfter) > 0) {
            pause = maxRetryAfter;
            cappedRetryAfters.incrementAndGet();
            LOG.warn("The dialer asked to wait {} s before sending to project {} again; waiting {} s "
                    + "(retry.max-retry-after)", asked.toSeconds(), projectId, pause.toSeconds());
        } else {
            LOG.info("The dialer asked to wait {} s before sending to project {} again", asked.toSeconds(), projectId);
        }
        Instant until = clock.instant().plus(pause);
        pausedUntil.merge(projectId, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    private synchronized void refuseCredentials(String why) {
        if (credentialsRefused == null) {
            LOG.error("The dialer refused the credentials ({}): sending is paused, nothing is dead-lettered; "
                    + "it resumes by itself once a probe shows the credentials work again", why);
        }
        credentialsRefused = why;
    }

    /** A probe showed the credentials work again. */
    public synchronized void credentialsAccepted() {
        if (credentialsRefused != null) {
            LOG.warn("The dialer accepts the credentials again: sending resumes");
        }
        credentialsRefused = null;
        notifyAll();
    }

    /**
     * The bridge is stopping: requests that must wait are not sent ({@link ShuttingDown}), and those waiting
     * give up now; requests the gate lets through still go, so the work in flight can finish.
     */
    public synchronized void stopWaiting() {
        if (!stopping && credentialsRefused != null) {
            LOG.info("Stopping: the requests waiting for the dialer to accept the credentials are not sent; "
                    + "their elements stay in their source and go on the next start");
        }
        stopping = true;
        notifyAll();
    }

    /**
     * A request was not sent because the bridge stops while the gate is closed for it: not a failure of its
     * elements (never dead-lettered); their source is not acknowledged, so they are sent on the next start.
     */
    public static final class ShuttingDown extends RuntimeException {
        public ShuttingDown(String message) {
            super(message);
        }
    }

    public boolean isCredentialsRefused() {
        return credentialsRefused != null;
    }

    public long cappedRetryAfters() {
        return cappedRetryAfters.get();
    }

    public Duration pauseLeft(String projectId) {
        Instant until = pausedUntil.get(projectId);
        if (until == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), until);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Seconds ({@code 120}) or an HTTP date ({@code Wed, 21 Oct 2026 07:28:00 GMT}); null when unreadable. */
    static Duration parseRetryAfter(String value, Instant now) {
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration left = Duration.between(now, at);
                return left.isNegative() ? Duration.ZERO : left;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
