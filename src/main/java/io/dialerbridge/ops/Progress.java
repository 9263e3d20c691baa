package io.dialerbridge.ops;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.batch.Rejected;
import io.dialerbridge.batch.Work;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each source (a file, or a Kafka topic) has got: elements accounted for, accepted and
 * dead-lettered, and the rate. Logs one progress line per source at most every {@code every}
 * (route record-outcome calls it with each outcome); the line ends when the file is finished.
 */
public final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger("io.dialerbridge.progress");

    private final Clock clock;
    private final Duration every;
    private final Map<String, SourceProgress> bySource = new ConcurrentHashMap<>();
    /** Elements accounted for per {@value #SLOT_SECONDS}-second slot over the last {@value #SLOTS} slots (a ring, by slot number). */
    private final long[] slots = new long[SLOTS];
    private final long[] slotNumbers = new long[SLOTS];

    static final int SLOT_SECONDS = 10;
    static final int SLOTS = 60;

    public Progress(Clock clock, Duration every) {
        this.clock = clock;
        this.every = every;
    }

    /** Where one source stands. */
    public static final class SourceProgress {
        private final String source;
        private final String project;
        private final String operation;
        private final long startedAt;
        private long read;
        private long accepted;
        private long deadLettered;
        /** Kafka records ignored on purpose (a tombstone, a skipped Debezium delete): accounted for, never elements. */
        private long ignored;
        private long loggedAt;

        SourceProgress(String source, String project, String operation, long startedAt) {
            this.source = source;
            this.project = project;
            this.operation = operation;
            this.startedAt = startedAt;
            this.loggedAt = startedAt;
        }

        public synchronized long accepted() {
            return accepted;
        }

        public synchronized long deadLettered() {
            return deadLettered;
        }

        synchronized String line(long now) {
            long done = accepted + deadLettered;
            double seconds = Math.max(now - startedAt, 1) / 1000.0;
            return String.format("%s (project %s, %s): %d read, %d accounted for, %d accepted, %d dead-lettered, %.0f/s",
                    source, project, operation, read, done, accepted, deadLettered, done / seconds);
        }

        /**
         * A progress bar for a terminal: the share of the {@code expected} elements accounted for (an
         * estimate; no bar when it is unknown, 0 or passed), the counts, the rate and the time left at it.
         */
        synchronized String bar(long now, long expected) {
            long done = accepted + deadLettered;
            double seconds = Math.max(now - startedAt, 1) / 1000.0;
            double rate = done / seconds;
            String counts = String.format("%d read, %d accepted, %d dead-lettered, %.0f/s", read, accepted, deadLettered, rate);
            if (expected <= 0 || done > expected) {
                return source + " " + counts;
            }
            int width = 20;
            int filled = (int) (width * done / expected);
            String left = rate <= 0 ? "?" : duration((long) Math.ceil((expected - done) / rate));
            return String.format("%s [%s%s] %3d%% %s, about %s left", source, "#".repeat(filled), "-".repeat(width - filled),
                    100 * done / expected, counts, left);
        }

        private static String duration(long seconds) {
            return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds / 60 % 60)
                    : seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
        }
    }

    /** A piece of a source's work is handed to sending (route send-work): its elements are read. */
    public void received(Work work) {
        List<Element> elements = work instanceof Batch batch ? batch.elements() : List.of(((Rejected) work).element());
        if (elements.isEmpty() || elements.get(0).source() == null) {
            return;
        }
        SourceProgress progress = of(elements.get(0), clock.millis());
        synchronized (progress) {
            progress.read += elements.size();
        }
    }

    private SourceProgress of(Element first, long now) {
        return of(first.source(), first.projectId(), first.operation(), now);
    }

    private SourceProgress of(SourceRef sourceRef, String projectId, Operation operation, long now) {
        return bySource.computeIfAbsent(name(sourceRef),
                source -> new SourceProgress(source, projectId, operation == null ? "unknown operation" : operation.id(), now));
    }

    /**
     * A Kafka record ignored on purpose (a tombstone, a skipped Debezium delete): its topic's row counts it, so
     * that, as in the metrics, received = accepted + dead-lettered + unchanged + ignored.
     */
    public void ignored(SourceRef source, String projectId, Operation operation) {
        SourceProgress progress = of(source, projectId, operation, clock.millis());
        synchronized (progress) {
            progress.ignored++;
        }
    }

    public void accounted(BatchOutcome outcome) {
        List<Element> all = new ArrayList<>(outcome.accepted());
        all.addAll(outcome.rejected());
        if (all.isEmpty()) {
            return;
        }
        Element first = all.get(0);
        long now = clock.millis();
        count(now, all.size());
        SourceProgress progress = of(first, now);
        String line = null;
        synchronized (progress) {
            progress.accepted += outcome.accepted().size();
            progress.deadLettered += outcome.rejected().size();
            if (now - progress.loggedAt >= every.toMillis()) {
                progress.loggedAt = now;
                line = progress.line(now);
            }
        }
        if (line != null) {
            LOG.info(line);
        }
    }

    private synchronized void count(long now, int elements) {
        long slot = now / 1000 / SLOT_SECONDS;
        int index = (int) (slot % SLOTS);
        if (slotNumbers[index] != slot) {
            slotNumbers[index] = slot;
            slots[index] = 0;
        }
        slots[index] += elements;
    }

    /**
     * Elements accounted for per second, over the last {@value #SLOTS} slots of {@value #SLOT_SECONDS}
     * seconds, oldest first (the current slot, still filling, last).
     */
    public synchronized List<Double> throughput() {
        long current = clock.millis() / 1000 / SLOT_SECONDS;
        List<Double> rates = new ArrayList<>();
        for (long slot = current - SLOTS + 1; slot <= current; slot++) {
            int index = (int) (slot % SLOTS);
            rates.add(slotNumbers[index] == slot ? slots[index] / (double) SLOT_SECONDS : 0.0);
        }
        return rates;
    }

    /** Where a source stands, for the status page. */
    public record Standing(String source, String project, String operation, long accepted, long deadLettered,
                           long ignored, double perSecond, Instant startedAt) {
    }

    /** Every source with elements accounted for and not finished yet (files in progress, Kafka topics), by name. */
    public List<Standing> standings() {
        long now = clock.millis();
        List<Standing> all = new ArrayList<>();
        for (SourceProgress progress : bySource.values()) {
            synchronized (progress) {
                double seconds = Math.max(now - progress.startedAt, 1) / 1000.0;
                all.add(new Standing(progress.source, progress.project, progress.operation, progress.accepted,
                        progress.deadLettered, progress.ignored, (progress.accepted + progress.deadLettered) / seconds,
                        Instant.ofEpochMilli(progress.startedAt)));
            }
        }
        all.sort(java.util.Comparator.comparing(Standing::source));
        return all;
    }

    /** The progress line of a source, or null before its first element is accounted for. */
    public String line(String source) {
        SourceProgress progress = bySource.get(source);
        return progress == null ? null : progress.line(clock.millis());
    }

    /** The terminal progress bar of a source expected to hold about {@code expected} elements, or null before it started. */
    public String bar(String source, long expected) {
        SourceProgress progress = bySource.get(source);
        return progress == null ? null : progress.bar(clock.millis(), expected);
    }

    /** A file is finished (its summary is logged by whoever finished it): it leaves the books. */
    public void finished(String source) {
        bySource.remove(source);
    }

    private static String name(SourceRef source) {
        return source.isFile() ? source.file() : source.topic();
    }
}
