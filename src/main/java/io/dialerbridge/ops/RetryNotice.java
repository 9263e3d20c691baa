package io.dialerbridge.ops;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.element.Element;
import io.dialerbridge.policy.Exhaustion;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, in one line in the domain's words, that a batch or an element is about to be sent again
 * (source, project, operation, attempt n of m, cause), and counts it by cause. The failure policy's
 * route configurations run it before each redelivery ({@code onRedeliveryRef}), instead of Camel's
 * own "Failed delivery for (MessageId: …)" line.
 */
public final class RetryNotice implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("io.dialerbridge.retry");

    private final BridgeMetrics metrics;
    private final int maxRetries;

    public RetryNotice(BridgeMetrics metrics, int maxRetries) {
        this.metrics = metrics;
        this.maxRetries = maxRetries;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Throwable failure = caught == null ? null : Exhaustion.rootCause(caught);
        // an element sent on its own (send-elements) also sees the batch it came in: the element wins
        Element element = exchange.getVariable("element", Element.class);
        Batch batch = exchange.getVariable("batch", Batch.class);
        int retry = retryNumber(exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class), element, batch);
        String project = element != null ? element.projectId() : batch.projectId();
        String operation = element != null ? element.operation().id() : batch.operation().id();
        String what = element != null ? operation + " for project " + project + " from " + element.source()
                : batch.toString();
        String cause = cause(failure);
        metrics.retried(project, operation, cause);
        LOG.warn("{}: retry {} of at most {} after {}: {}", what, retry, maxRetries, cause,
                failure == null ? "no answer" : failure.getMessage());
    }

    /**
     * The number of the retry about to be made. A batch counts its own attempts (the bound, RetryBudget, is
     * checked on them, every status alike, 429 too): the exchange's redelivery counter is not the batch's, since
     * one exchange can carry several batches one after the other (it read "retry 5 of at most 4"). An element
     * sent on its own has an exchange of its own, whose counter is its own.
     */
    static int retryNumber(int redeliveryCounter, Element element, Batch batch) {
        if (element == null && batch != null && batch.attempts() > 0) {
            return batch.attempts();
        }
        return redeliveryCounter;
    }

    /** A short name of why a request failed, for the metrics: http_503, ConnectException, … */
    static String cause(Throwable failure) {
        if (failure instanceof DialerAnswerException answer) {
            return "http_" + answer.httpStatus();
        }
        return failure == null ? "unknown" : failure.getClass().getSimpleName();
    }
}
