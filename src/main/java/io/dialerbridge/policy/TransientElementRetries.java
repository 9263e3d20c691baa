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
import java.util.function.BiConsumer;

/**
 * Element-level transient errors (such as {@code error.record_in_call}: an agent is handling the
 * record right now): the elements the dialer refused for such a reason are taken out of the
 * batch's outcome and sent again, as a new batch, after a delay that grows with each attempt
 * ({@code initialDelay * multiplier^(n-1)}, at most {@code maxDelay}); after {@code maxRetries}
 * re-sends an element that is still refused is dead-lettered with that error. The re-sent batch
 * goes through the whole pipeline again (route {@code retry-transient-elements}), so its outcome is
 * recorded like any other; the call returns once it is, so a file's report still waits for it.
 * Attempt counts are kept in memory: a restart starts counting again.
 */
public final class TransientElementRetries {

    private static final Logger LOG = LoggerFactory.getLogger(TransientElementRetries.class);

    private final int maxRetries;
    private final long initialDelay;
    private final double multiplier;
    private final long maxDelay;
    private final BiConsumer<Batch, Long> resend;
    private final Map<String, Integer> retries = new ConcurrentHashMap<>();

    /**
     * @param resend sends a batch again after the given delay in milliseconds, and returns once its
     *               outcome is recorded
     */
    private final ElementErrorPolicy policy;

    public TransientElementRetries(int maxRetries, long initialDelay, double multiplier, long maxDelay,
                                   BiConsumer<Batch, Long> resend) {
        this(maxRetries, initialDelay, multiplier, maxDelay, ElementErrorPolicy.defaults(), resend);
    }

    public TransientElementRetries(int maxRetries, long initialDelay, double multiplier, long maxDelay,
                                   ElementErrorPolicy policy, BiConsumer<Batch, Long> resend) {
        this.policy = policy;
        this.maxRetries = maxRetries;
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
        this.resend = resend;
    }

    /** The outcome without the elements that were sent again (their outcome is recorded by the re-send). */
    public BatchOutcome requeueTransient(Batch batch, BatchOutcome outcome) {
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
                retries.remove(element.id());
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
        if (again.isEmpty()) {
            return new BatchOutcome(outcome.accepted(), rejected);
        }
        long delay = delay(round);
        LOG.info("{} element(s) of {} were refused for a transient reason ({}): sending them again in {} ms (retry {} of {})",
                again.size(), batch, again.get(0).rejection().error(), delay, round, maxRetries);
        resend.accept(new Batch(batch.projectId(), batch.operation(), batch.defaults(),
                again.stream().map(e -> e.rejected(null)).toList()), delay);
        return new BatchOutcome(outcome.accepted(), rejected);
    }

    /** The delay before retry {@code n} (1-based). */
    public long delay(int n) {
        double delay = initialDelay * Math.pow(multiplier, Math.max(0, n - 1));
        return (long) Math.min(delay, maxDelay);
    }
}
