package io.dialerbridge.policy;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.OperationRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Element-level transient errors (such as {@code error.record_in_call}: an agent is handling the
 * record right now): the elements the dialer refused for such a reason are taken out of the
 * batch's outcome, to be sent again as a new batch after a delay that grows with each attempt
 * ({@code initialDelay * multiplier^(n-1)}, at most {@code maxDelay}); after {@code maxRetries}
 * re-sends an element that is still refused is dead-lettered with that error. Route
 * {@code send-batch} records the rest of the outcome and hands the re-send to route
 * {@code retry-transient-elements}. Attempt counts are kept in memory: a restart starts counting again.
 */
public final class TransientElementRetries {

    private static final Logger LOG = LoggerFactory.getLogger(TransientElementRetries.class);

    private final int maxRetries;
    private final long initialDelay;
    private final double multiplier;
    private final long maxDelay;
    private final ElementErrorPolicy policy;
    private final Map<String, Integer> retries = new ConcurrentHashMap<>();

    /**
     * What to do with a batch's outcome.
     *
     * @param outcome to record now: the accepted elements, and the refused ones to dead-letter
     * @param resend  the elements to send again, as a new batch, or null when there are none
     * @param delay   milliseconds to wait before sending {@code resend}
     */
    public record Triage(BatchOutcome outcome, Batch resend, long delay) {
    }

    public TransientElementRetries(int maxRetries, long initialDelay, double multiplier, long maxDelay) {
        this(maxRetries, initialDelay, multiplier, maxDelay, ElementErrorPolicy.defaults());
    }

    public TransientElementRetries(int maxRetries, long initialDelay, double multiplier, long maxDelay,
                                   ElementErrorPolicy policy) {
        this.policy = policy;
        this.maxRetries = maxRetries;
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
    }

    /** Splits a batch's outcome into what to record now and what to send again later. */
    public Triage triage(Batch batch, BatchOutcome outcome) {
        OperationRules rules = batch.operation().rules();
        List<Element> again = new ArrayList<>();
        List<Element> rejected = new ArrayList<>();
        int round = 0;
        for (Element element : outcome.rejected()) {
            if (!policy.isTransient(rules, element.rejection().error())) {
                rejected.add(element);
                continue;
            }
            int done = retries.getOrDefault(element.id(), 0);
            if (done < maxRetries) {
                retries.put(element.id(), done + 1);
                round = Math.max(round, done + 1);
                again.add(element);
            } else {
                Rejection why = element.rejection();
                rejected.add(element.rejected(new Rejection(why.error(), why.apiErrorCode(), why.message()
                        + " (still refused after " + (done + 1) + " attempts)", why.httpStatus(), done + 1)));
            }
        }
        for (Element element : outcome.accepted()) {
            retries.remove(element.id());
        }
        for (Element element : rejected) {
            retries.remove(element.id());
        }
        BatchOutcome toRecord = new BatchOutcome(outcome.accepted(), rejected);
        if (again.isEmpty()) {
            return new Triage(toRecord, null, 0);
        }
        long delay = delay(round);
        LOG.info("{} element(s) of {} were refused for a transient reason ({}): sending them again in {} ms (retry {} of {})",
                again.size(), batch, again.get(0).rejection().error(), delay, round, maxRetries);
        Batch resend = new Batch(batch.projectId(), batch.operation(), batch.defaults(),
                again.stream().map(e -> e.rejected(null)).toList());
        return new Triage(toRecord, resend, delay);
    }

    /** The delay before retry {@code n} (1-based). */
    private long delay(int n) {
        double delay = initialDelay * Math.pow(multiplier, Math.max(0, n - 1));
        return (long) Math.min(delay, maxDelay);
    }
}
