package io.dialerbridge.batch;

import io.dialerbridge.policy.TransientElementRetries.Triage;
import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * The questions the batch routes (send-work, send-batch, call-dialer) ask of a piece of work, a batch and
 * its answer, once per batch. They are plain methods, bound by Camel's parameter annotations, rather than
 * OGNL in simple expressions ({@code ${variable.triage.outcome}}): an OGNL step copies the exchange and
 * describes the bean anew on every call, which a profile of a 1,000,000-element send showed at about 5% of
 * the samples (docs/BENCHMARKS.md, "Profile of a one-shot send").
 */
public final class BatchSteps {

    /** A batch for the dialer (else an element refused before sending). */
    public boolean isBatch(@Body Work work) {
        return work instanceof Batch;
    }

    /** The element refused before sending, as its outcome. */
    public BatchOutcome rejectedOutcome(@Body Rejected rejected) {
        return rejected.outcome();
    }

    /** Whether the batch's operation is sent one request per element. */
    public boolean perElement(@Variable("batch") Batch batch) {
        return batch.operation().rules().perElement();
    }

    /** Whether the dialer's answer says the batch must be split. */
    public boolean splitNeeded(@Body BatchOutcome answer) {
        return answer.isSplitNeeded();
    }

    /** Notes one more attempt at the batch; its number, from 1. */
    public int attempt(@Variable("batch") Batch batch) {
        return batch.attempt();
    }

    /** The batch's Idempotency-Key. */
    public String idempotencyKey(@Variable("batch") Batch batch) {
        return batch.id();
    }

    /** What the triage accounts for now (accepted and refused for good). */
    public BatchOutcome outcome(@Variable("triage") Triage triage) {
        return triage.outcome();
    }

    /** Whether the triage left elements to send again. */
    public boolean resends(@Variable("triage") Triage triage) {
        return triage.resend() != null;
    }
}
