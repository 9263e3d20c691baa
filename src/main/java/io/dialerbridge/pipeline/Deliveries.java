package io.dialerbridge.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bookkeeping of the pipeline: turns a source into work (batches and early rejections), records
 * what became of every element (accepted, or durably dead-lettered), and reports per source and for
 * the whole run. The routes call it; it knows nothing of Camel.
 */
public final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final DeadLetters deadLetters;
    private final int maxElements;
    private final Duration maxWait;
    private final Clock clock;
    private final Map<String, RunReport> bySource = new ConcurrentHashMap<>();
    private final RunReport total = new RunReport();

    public Deliveries(DeadLetters deadLetters, int maxElements, Duration maxWait, Clock clock) {
        this.deadLetters = deadLetters;
        this.maxElements = maxElements;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /** The work in one file: batches of valid elements, and elements rejected before sending. */
    public Iterator<Object> work(File file, String sourceName, String projectId, String operation) throws IOException {
        Operation op = Operation.fromId(operation);
        bySource.put(sourceName, new RunReport());
        ElementReader reader = ElementReader.open(file.toPath(), sourceName, projectId, op);
        return new Batcher(reader, element -> op.rules().validate(element.body(), element.defaults()), maxElements, maxWait, clock);
    }

    /** Records the outcome of a batch: dead letters first (durably), then the counts. */
    public void record(BatchOutcome outcome) throws IOException {
        deadLetters.write(outcome.rejected());
        for (Element element : outcome.accepted()) {
            report(element).accepted(1);
        }
        total.accepted(outcome.accepted().size());
        for (Element element : outcome.rejected()) {
            report(element).deadLettered(element.rejection().error(), 1);
            total.deadLettered(element.rejection().error(), 1);
        }
    }

    /** An element refused before sending: straight to the dead letters. */
    public void reject(Element element) throws IOException {
        record(BatchOutcome.single(element));
    }

    /** A batch whose every attempt failed: each element is dead-lettered with the last error. */
    public void exhausted(Batch batch, Exception lastError, Integer redeliveries) throws IOException {
        int attempts = redeliveries == null ? 1 : redeliveries + 1;
        int status = lastError instanceof DialerAnswerException answer ? answer.httpStatus() : 0;
        String error = status > 0 ? "error.dialer_unavailable" : "error.dialer_unreachable";
        LOG.warn("Giving up on {} after {} attempts: {}", batch, attempts, lastError.getMessage());
        record(BatchOutcome.allRejected(batch, new Rejection(error, null, "gave up after " + attempts
                + " attempts; last error: " + lastError.getMessage(), status, attempts)));
    }

    /** The report of a source whose every element is accounted for; it leaves the books. */
    public RunReport finishSource(String sourceName) {
        RunReport report = bySource.remove(sourceName);
        return report == null ? new RunReport() : report;
    }

    public RunReport total() {
        return total;
    }

    private RunReport report(Element element) {
        String name = element.source().isFile() ? element.source().file() : element.source().topic();
        return bySource.computeIfAbsent(name, n -> new RunReport());
    }
}
