package io.dialerbridge.sync;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Incremental sync of snapshots (docs/SYNC.md). In {@code incremental} mode ({@code sync.mode},
 * {@code projects.<id>.sync.mode}) an element whose values equal the fingerprint of the record's last
 * accepted values is not sent: it is counted {@code unchanged} ({@link #changedOnly}, where a file's
 * elements are read). A fingerprint is written only once the dialer accepted the element
 * ({@link #recorded}, route {@code record-outcome}); a dead-lettered element leaves it as it was, so
 * the record is sent again with the next snapshot ({@code retried from an earlier run}).
 */
public final class SyncState implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncState.class);

    /** The operations whose elements name a record that a snapshot holds once. */
    public static final Set<Operation> OPERATIONS =
            EnumSet.of(Operation.MODIFY_RECORDS, Operation.MODIFY_DISPOSITIONS, Operation.UPDATE_OUTBOUND_RECORDS);

    private static final Pattern PROJECT_MODE = Pattern.compile("projects\\.([^.]+)\\.sync\\.mode");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Bits of the filter of records already sent in a snapshot: 8 MiB; a false positive only sends an element. */
    static final int SENT_FILTER_BITS = 1 << 26;

    private final Path stateDir;
    private final Path reportsDir;
    private final boolean defaultIncremental;
    private final Map<String, Boolean> projectIncremental = new TreeMap<>();
    private final RecordFingerprint fingerprints;
    private final Consumer<Element> unchangedMeter;
    private final Clock clock;
    private final Map<String, Long> generationBySource = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean forceFull;

    /**
     * @param defaultMode  {@code sync.mode}: full or incremental
     * @param projectModes settings under {@code projects.}, of which {@code projects.<id>.sync.mode} count
     */
    public SyncState(Path stateDir, Path reportsDir, String defaultMode, Map<String, String> projectModes,
                     RecordFingerprint fingerprints, Consumer<Element> unchangedMeter, Clock clock) {
        this.stateDir = stateDir;
        this.reportsDir = reportsDir;
        this.defaultIncremental = incremental("sync.mode", defaultMode);
        projectModes.forEach((key, value) -> {
            Matcher m = PROJECT_MODE.matcher(key);
            if (m.matches()) {
                projectIncremental.put(m.group(1), incremental(key, value));
            }
        });
        this.fingerprints = fingerprints;
        this.unchangedMeter = unchangedMeter;
        this.clock = clock;
    }

    private static boolean incremental(String key, String value) {
        String mode = value == null ? "" : value.trim();
        if (mode.equals("incremental")) {
            return true;
        }
        if (mode.equals("full") || mode.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be full or incremental, was '" + value + "'");
    }

    public boolean incremental(String projectId, Operation operation) {
        if (operation == null || !OPERATIONS.contains(operation)) {
            return false;
        }
        Boolean own = projectId == null ? null : projectIncremental.get(projectId);
        return own != null ? own : defaultIncremental;
    }

    /** {@code send --full}: every element of this run is sent (and the fingerprints taken again). */
    public void forceFull() {
        forceFull = true;
    }

    /** A file named {@code <name>.full.<ext>} is sent whole, whatever the mode. */
    public static boolean markedFull(String sourceName) {
        String name = Path.of(sourceName).getFileName().toString();
        return name.matches(".*\\.full\\.[^.]+");
    }

    private FingerprintStore store;
    private int users;

    /**
     * The store, open while a file is read or an outcome recorded, and closed (its file lock released)
     * when nobody uses it: so {@code sync reset} works beside an idle daemon, and a daemon that lost the
     * inbox lease leaves the state to the one that took over once its file has stopped.
     */
    private synchronized FingerprintStore acquire() {
        if (store == null) {
            store = FingerprintStore.open(stateDir);
        }
        users++;
        return store;
    }

    private synchronized void release() {
        if (--users == 0 && store != null) {
            store.close();
            store = null;
        }
    }

    /**
     * A file's elements, without those that need no sending: each one counted {@code unchanged} in the
     * source's report (and the metrics) instead. When the file has been read to its end, the records
     * of the previous snapshots that it no longer names are listed ({@code removed}).
     */
    public Iterator<Element> changedOnly(Iterator<Element> elements, String sourceName, String projectId,
                                         Operation operation, RunReport report) {
        if (!incremental(projectId, operation)) {
            return elements;
        }
        FingerprintStore store = acquire();
        FingerprintStore.Scope scope = store.scope(projectId, operation.id());
        long generation = store.generationOf(scope.name(), sourceName);
        generationBySource.put(sourceName, generation);
        boolean full = forceFull || markedFull(sourceName);
        if (full) {
            LOG.info("{}: sent whole ({}), the fingerprints are taken again", sourceName,
                    forceFull ? "send --full" : "the file name is marked .full");
        }
        return new Changed(elements, sourceName, store, scope, generation, full, report);
    }

    /**
     * What became of elements (route {@code record-outcome}): the accepted ones' values become their
     * records' fingerprints; the refused ones' are noted, so that the next snapshot says it retries them.
     */
    public void recorded(List<Element> accepted, List<Element> rejected) {
        if (accepted.stream().noneMatch(e -> incremental(e.projectId(), e.operation()))
                && rejected.stream().noneMatch(e -> incremental(e.projectId(), e.operation()))) {
            return;
        }
        FingerprintStore store = acquire();
        try {
            record(store, accepted, rejected);
        } finally {
            release();
        }
    }

    private void record(FingerprintStore store, List<Element> accepted, List<Element> rejected) {
        for (Element element : accepted) {
            if (incremental(element.projectId(), element.operation())) {
                String key = RecordFingerprint.key(element);
                if (key != null) {
                    FingerprintStore.Scope scope = store.scope(element.projectId(), element.operation().id());
                    scope.accept(key, fingerprints.of(element), generationOf(element, scope));
                }
            }
        }
        for (Element element : rejected) {
            if (element.body() != null && incremental(element.projectId(), element.operation())) {
                String key = RecordFingerprint.key(element);
                if (key != null) {
                    store.scope(element.projectId(), element.operation().id()).refuse(key, fingerprints.of(element));
                }
            }
        }
    }

    private long generationOf(Element element, FingerprintStore.Scope scope) {
        Long known = element.source().isFile() ? generationBySource.get(element.source().file()) : null;
        return known != null ? known : 0L;
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
            users = 0;
        }
    }

    /** The elements of one snapshot that must be sent. */
    private final class Changed implements Iterator<Element>, java.io.Closeable {
        private final Iterator<Element> elements;
        private final String sourceName;
        private final FingerprintStore store;
        private final FingerprintStore.Scope scope;
        private final long generation;
        private final boolean full;
        private final RunReport report;
        private final BitSet sent = new BitSet(SENT_FILTER_BITS);
        private Element next;
        private boolean ended;

        private boolean closed;

        Changed(Iterator<Element> elements, String sourceName, FingerprintStore store, FingerprintStore.Scope scope,
                long generation, boolean full, RunReport report) {
            this.elements = elements;
            this.sourceName = sourceName;
            this.store = store;
            this.scope = scope;
            this.generation = generation;
            this.full = full;
            this.report = report;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !ended) {
                if (!elements.hasNext()) {
                    ended = true;
                    listRemoved();
                    break;
                }
                Element element = elements.next();
                String key = element.isValid() ? RecordFingerprint.key(element) : null;
                if (key == null) {
                    next = element;
                    break;
                }
                byte[] fingerprint = fingerprints.of(element);
                byte[] accepted = scope.acceptedAndSeen(key, generation);
                // a record already sent in this snapshot is sent again whatever its values: its earlier
                // change may yet be refused, and the later one must win as in a full send
                if (!full && accepted != null && !sentBefore(key) && Arrays.equals(accepted, fingerprint)) {
                    report.unchanged(1);
                    unchangedMeter.accept(element);
                    continue;
                }
                if (scope.wasRefused(key, fingerprint)) {
                    report.retriedFromEarlierRun(1);
                }
                markSent(key);
                next = element;
            }
            return next != null;
        }

        @Override
        public Element next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Element element = next;
            next = null;
            return element;
        }

        @Override
        public void close() throws IOException {
            try {
                if (elements instanceof java.io.Closeable closeable) {
                    closeable.close();
                }
            } finally {
                if (!closed) {
                    closed = true;
                    release();
                }
            }
        }

        private boolean sentBefore(String key) {
            int h = key.hashCode();
            int h2 = Integer.rotateLeft(h * 0x9E3779B9, 13) ^ key.length();
            return sent.get(Math.floorMod(h, SENT_FILTER_BITS)) && sent.get(Math.floorMod(h2, SENT_FILTER_BITS))
                    && sent.get(Math.floorMod(h ^ (h2 * 31), SENT_FILTER_BITS));
        }

        private void markSent(String key) {
            int h = key.hashCode();
            int h2 = Integer.rotateLeft(h * 0x9E3779B9, 13) ^ key.length();
            sent.set(Math.floorMod(h, SENT_FILTER_BITS));
            sent.set(Math.floorMod(h2, SENT_FILTER_BITS));
            sent.set(Math.floorMod(h ^ (h2 * 31), SENT_FILTER_BITS));
        }

        private void listRemoved() {
            List<String> removed = scope.removeNotSeenSince(generation);
            store.forgetSource(scope.name(), sourceName);
            store.commit();
            if (removed.isEmpty()) {
                return;
            }
            String base = Path.of(sourceName).getFileName().toString();
            Path file = reportsDir.resolve("removed-" + scope.name().replace('/', '-') + "-" + base + "-"
                    + STAMP.format(clock.instant()) + ".txt");
            try {
                Files.createDirectories(reportsDir);
                Files.write(file, removed, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            report.removed(removed.size(), file.toString());
            LOG.info("{}: {} records of the previous snapshot are not in this one (nothing is deleted in the dialer): {}",
                    sourceName, removed.size(), file);
        }
    }
}
