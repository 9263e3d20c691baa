package io.dialerbridge.ops;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.batch.Rejected;
import io.dialerbridge.batch.Work;
import io.dialerbridge.dialer.RequestSlots;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.Inbox;
import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.source.InboxLease;
import io.dialerbridge.source.kafka.KafkaLag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * The bridge's own meters, in the domain's words, on the registry Camel serves at
 * {@code /observe/metrics}: elements accepted and dead-lettered (by project, operation and error),
 * batches sent and how long the dialer took to answer them, retries by cause and Retry-After pauses;
 * elements received from the sources and how long the oldest one not yet accounted for has waited;
 * and, read at each scrape, the batch requests out at the dialer (the request slots taken) and the batches
 * being prepared, sent or accounted for (the batchSenders pool's active threads), the files
 * waiting in the inbox and the age of the oldest of them (a stalled inbox shows as a growing age).
 * The routes call it.
 */
public final class BridgeMetrics {

    private final MeterRegistry registry;
    private final Unaccounted unaccounted = new Unaccounted();

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("dialer_bridge_oldest_unaccounted_element_age_seconds", unaccounted,
                        u -> u.oldest().stream().map(since -> System.currentTimeMillis() - since).findFirst().orElse(0L) / 1000.0)
                .description("how long the oldest element handed to sending has waited to be accepted or dead-lettered"
                        + " (0 when none is waiting): a stalled delivery shows as a growing age")
                .register(registry);
    }

    /**
     * A piece of work a source yields is handed to sending (route send-work): its elements are counted
     * as received, and each one's wait starts, until it is {@link #accounted}.
     */
    public void received(Work work) {
        List<Element> elements = work instanceof Batch batch ? batch.elements() : List.of(((Rejected) work).element());
        if (elements.isEmpty()) {
            return;
        }
        unaccounted.received(elements, System.currentTimeMillis());
        received(elements.get(0), elements.size());
    }

    private void received(Element element, int count) {
        Counter.builder("dialer_bridge_elements_received")
                .description("elements read from a source: they are then accepted, dead-lettered, unchanged or ignored")
                .tags("project", project(element), "operation", operation(element))
                .register(registry).increment(count);
    }

    /** The registry the meters are on (the status page reads the counts from it). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds the gauges read at each scrape: the batches in flight, and the files in the inbox and the oldest one's age. */
    public BridgeMetrics watching(Path inbox, ExecutorService batchSenders, Clock clock) {
        new ExecutorServiceMetrics(batchSenders, "batchSenders", Tags.empty()).bindTo(registry);
        Gauge.builder("dialer_bridge_inbox_files", () -> waiting(inbox).size())
                .description("files in the inbox: waiting or in progress")
                .register(registry);
        Gauge.builder("dialer_bridge_inbox_oldest_file_age_seconds", () -> waiting(inbox).stream()
                        .mapToLong(modified -> clock.millis() - modified.toMillis()).max().orElse(0) / 1000.0)
                .description("how long the oldest file in the inbox has been there (0 when it is empty)")
                .register(registry);
        return this;
    }

    /** Adds the gauge of the batch requests out at the dialer, read at each scrape. */
    public BridgeMetrics watching(RequestSlots slots) {
        Gauge.builder("dialer_bridge_requests_in_flight", slots::inFlight)
                .description("batch requests out at the dialer now (at most batch.max-in-flight)")
                .register(registry);
        return this;
    }

    /**
     * Adds the inbox lease's meters (several daemons on one BRIDGE_HOME): whether this daemon is the
     * active one, and how often it took the lease over.
     */
    public BridgeMetrics watchingLease(InboxLease lease) {
        Gauge.builder("dialer_bridge_inbox_lease_active", () -> lease.isActive() ? 1 : 0)
                .description("1 while this daemon holds the inbox lease (consumes the inbox), 0 while it stands by")
                .register(registry);
        FunctionCounter.builder("dialer_bridge_inbox_lease_take_overs", lease, InboxLease::takeOvers)
                .description("how often this daemon became the active one (its first time included)")
                .register(registry);
        return this;
    }

    /**
     * Adds a gauge per Kafka partition this instance consumes: {@code dialer_bridge_kafka_consumer_lag}
     * (topic, partition), the records beyond the committed offset; NaN while another member owns it.
     */
    public BridgeMetrics watching(KafkaLag lag) {
        lag.onNewPartition((topic, partition) -> Gauge.builder("dialer_bridge_kafka_consumer_lag", lag,
                        l -> l.of(topic, partition).stream().mapToDouble(v -> v).findFirst().orElse(Double.NaN))
                .description("Kafka consumer lag: records on the partition beyond the committed offset")
                .tags("topic", topic, "partition", String.valueOf(partition))
                .register(registry));
        return this;
    }

    /** What became of the elements of a batch (route record-outcome, once they are accounted for). */
    public void accounted(BatchOutcome outcome) {
        unaccounted.accounted(outcome.accepted());
        unaccounted.accounted(outcome.rejected());
        // one look-up per meter and batch, not per element: a batch's elements share project and operation
        Map<List<String>, Integer> accepted = new HashMap<>();
        for (Element element : outcome.accepted()) {
            accepted.merge(List.of(project(element), operation(element)), 1, Integer::sum);
        }
        accepted.forEach((tags, count) -> Counter.builder("dialer_bridge_elements_accepted")
                .description("elements the dialer accepted")
                .tags("project", tags.get(0), "operation", tags.get(1))
                .register(registry).increment(count));
        Map<List<String>, Integer> deadLettered = new HashMap<>();
        for (Element element : outcome.rejected()) {
            deadLettered.merge(List.of(project(element), operation(element), String.valueOf(element.rejection().error())),
                    1, Integer::sum);
        }
        deadLettered.forEach((tags, count) -> Counter.builder("dialer_bridge_elements_dead_lettered")
                .description("elements written to the dead-letter output")
                .tags("project", tags.get(0), "operation", tags.get(1), "error", tags.get(2))
                .register(registry).increment(count));
    }

    /**
     * A Kafka record ignored on purpose (a tombstone, a Debezium delete with kafka.debezium.deletes=skip): it
     * is received and ignored, so received = accepted + dead-lettered + unchanged + ignored.
     */
    public void ignored(String projectId, Operation operation, String reason) {
        String project = projectId == null ? "unknown" : projectId;
        String op = operation == null ? "unknown" : operation.id();
        Counter.builder("dialer_bridge_elements_received")
                .description("elements read from a source: they are then accepted, dead-lettered, unchanged or ignored")
                .tags("project", project, "operation", op)
                .register(registry).increment();
        Counter.builder("dialer_bridge_elements_ignored")
                .description("Kafka records ignored on purpose, by reason: tombstone (no value: a compaction marker), "
                        + "delete (a Debezium delete with kafka.debezium.deletes=skip); their offsets are committed")
                .tags("project", project, "operation", op, "reason", reason)
                .register(registry).increment();
    }

    /** An element not sent because the dialer already holds its values (incremental sync, docs/SYNC.md). */
    public void unchanged(Element element) {
        unchanged(element, 1);
    }

    /** {@code count} elements of the project and operation of {@code element} were not sent (incremental sync). */
    public void unchanged(Element element, long count) {
        received(element, (int) count);
        Counter.builder("dialer_bridge_elements_unchanged")
                .description("elements not sent: the dialer already holds their values (incremental sync)")
                .tags("project", project(element), "operation", operation(element))
                .register(registry).increment(count);
    }

    /** Elements of a project that went without the pre-flight field check: its fields could not be read (docs/SYNC.md). */
    public void fieldChecksSkipped(String project) {
        Counter.builder("dialer_bridge_field_checks_skipped")
                .description("times a project's elements went without the pre-flight field check: its fields could not be read")
                .tags("project", project == null ? "unknown" : project)
                .register(registry).increment();
    }

    /** The moment a request leaves, for {@link #answered}. */
    public long now() {
        return System.nanoTime();
    }

    /**
     * The dialer answered a batch's request (any status) that left at {@code sentAt} ({@link #now});
     * an answer with a Retry-After pauses the project (see DialerGate) and is counted.
     */
    public void answered(Batch batch, long sentAt, int httpStatus, String retryAfter) {
        if (AnswerClass.carriesRetryAfter(httpStatus) && retryAfter != null && !retryAfter.isBlank()) {
            Counter.builder("dialer_bridge_retry_after_pauses")
                    .description("answers whose Retry-After paused a project")
                    .tags("project", batch.projectId(), "status", String.valueOf(httpStatus))
                    .register(registry).increment();
        }
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
                .tags("project", String.valueOf(project), "operation", String.valueOf(operation), "cause", cause)
                .register(registry).increment();
    }

    /** A Kafka record that could not be read may have no project or operation: counted as "unknown". */
    private static String project(Element element) {
        return element.projectId() == null ? "unknown" : element.projectId();
    }

    private static String operation(Element element) {
        return element.operation() == null ? "unknown" : element.operation().id();
    }

    /**
     * The modification times of the input files in inbox/<project>/<operation>/ (not the hidden, partial
     * ones, nor the read-lock marker Camel writes beside a file in progress).
     */
    private static List<FileTime> waiting(Path inbox) {
        try (Stream<Path> files = Files.find(inbox, 3, (path, attributes) -> attributes.isRegularFile()
                && Inbox.isInput(inbox.relativize(path).toString()))) {
            return files.map(path -> {
                try {
                    return Files.getLastModifiedTime(path);
                } catch (IOException e) {
                    return null; // finished and moved away while being counted
                }
            }).filter(java.util.Objects::nonNull).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
