package io.dialerbridge.ops;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.element.Element;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The bridge's own meters, in the domain's words, on the registry Camel serves at
 * {@code /observe/metrics}: elements accepted and dead-lettered (by project, operation and error),
 * batches sent and how long the dialer took to answer them, and retries by cause. The routes call it.
 */
public final class BridgeMetrics {

    private final MeterRegistry registry;

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** What became of the elements of a batch (route record-outcome, once they are accounted for). */
    public void accounted(BatchOutcome outcome) {
        for (Element element : outcome.accepted()) {
            Counter.builder("dialer_bridge_elements_accepted")
                    .description("elements the dialer accepted")
                    .tags("project", element.projectId(), "operation", element.operation().id())
                    .register(registry).increment();
        }
        for (Element element : outcome.rejected()) {
            Counter.builder("dialer_bridge_elements_dead_lettered")
                    .description("elements written to the dead-letter output")
                    .tags("project", element.projectId(), "operation", element.operation().id(),
                            "error", element.rejection().error())
                    .register(registry).increment();
        }
    }

    /** The moment a request leaves, for {@link #answered}. */
    public long now() {
        return System.nanoTime();
    }

    /** The dialer answered a batch's request (any status) that left at {@code sentAt} ({@link #now}). */
    public void answered(Batch batch, long sentAt, int httpStatus) {
        Timer.builder("dialer_bridge_batch_seconds")
                .description("batches sent to the dialer and the time to their answer")
                .tags("project", batch.projectId(), "operation", batch.operation().id(),
                        "status", String.valueOf(httpStatus))
                .publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(System.nanoTime() - sentAt));
    }

    /** A request is about to be sent again after a transient failure. */
    public void retried(String project, String operation, String cause) {
        Counter.builder("dialer_bridge_retries")
                .description("requests sent again after a transient failure, by cause")
                .tags("project", project, "operation", operation, "cause", cause)
                .register(registry).increment();
    }
}
