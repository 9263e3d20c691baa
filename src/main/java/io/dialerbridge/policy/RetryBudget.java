package io.dialerbridge.policy;

import java.time.Clock;
import java.time.Duration;

/** How long a batch may keep being retried: bounded by attempts and by total time. */
public final class RetryBudget {

    private final int maxRetries;
    private final Duration maxTotalTime;
    private final Clock clock;

    public RetryBudget(int maxRetries, Duration maxTotalTime, Clock clock) {
        this.maxRetries = maxRetries;
        this.maxTotalTime = maxTotalTime;
        this.clock = clock;
    }

    /**
     * @param attempts    how many times it has been sent so far
     * @param firstSentAt when it was first sent, epoch milliseconds
     */
    public boolean allowsAnother(int attempts, long firstSentAt) {
        return attempts - 1 < maxRetries && clock.millis() - firstSentAt < maxTotalTime.toMillis();
    }
}
