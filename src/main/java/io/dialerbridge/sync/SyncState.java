package io.dialerbridge.sync;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
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

    private final Path stateDir;
    private final Path reportsDir;
    private final boolean defaultIncremental;
    private final Map<String, Boolean> projectIncremental = new TreeMap<>();
    private final RecordFingerprint fingerprints;
    private final BiConsumer<Element, Long> unchangedMeter;
    private final Clock clock;
    private volatile boolean forceFull;
    /**
     * The fingerprints worked out while a snapshot was read, of the elements passed on to be sent, by
     * element id: {@link #recorded} takes an element's from here instead of working it out again, when it
     * is of the very same values (the same body and defaults objects, held weakly: an element that is never
     * recorded, as when a file stops at shutdown, leaves only its id and fingerprint behind). At most
     * {@link #sentFingerprintsBound} (the elements read ahead of their answers are far fewer); when full, the
     * table is emptied and those in flight are worked out again.
     */
    private final Map<String, Sent> sentFingerprints = new ConcurrentHashMap<>();
    static int sentFingerprintsBound = 50_000;

    private record Sent(WeakReference<Object> body, WeakReference<Object> defaults, byte[] fingerprint) {

        Sent(Element element, byte[] fingerprint) {
            this(new WeakReference<>(element.body()),
                    element.defaults() == null ? null : new WeakReference<>(element.defaults()), fingerprint);
        }

        /** The fingerprint, if it was worked out from this element's very values. */
        byte[] of(Element element) {
            boolean sameBody = element.body() != null && body.get() == element.body();
            boolean sameDefaults = defaults == null ? element.defaults() == null : defaults.get() == element.defaults();
            return sameBody && sameDefaults ? fingerprint : null;
        }
    }

    /**
     * @param defaultMode  {@code sync.mode}: full or incremental
     * @param projectModes settings under {@code projects.}, of which {@code projects.<id>.sync.mode} count
     */
    public SyncState(Path stateDir, Path reportsDir, String defaultMode, Map<String, String> projectModes,
                     RecordFingerprint fingerprints, BiConsumer<Element, Long> unchangedMeter, Clock clock) {
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
            store = openWaiting();
        }
        users++;
        return store;
    }

    /** How long the store is waited for while another bridge holds it (see {@link #openWaiting}). */
    static Duration lockWait = Duration.ofSeconds(60);

    /**
     * Opens the store, waiting while another process holds it: on a lease hand-over the daemon that lost
     * the inbox lease holds the state until its batches in flight are answered; the file of the daemon
     * that took over waits here instead of failing attempts ({@code ingest.file.max-attempts}).
     */
    private FingerprintStore openWaiting() {
        long deadline = System.nanoTime() + lockWait.toNanos();
        boolean logged = false;
        while (true) {
            try {
                return FingerprintStore.open(stateDir);
            } catch (FingerprintStore.InUse e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                if (!logged) {
                    logged = true;
                    LOG.info("the sync state is held by another bridge (a lease hand-over?): waiting up to {} s for it",
                            lockWait.toSeconds());
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private synchronized void release() {
        if (--users == 0 && store != null) {
            store.close();
            store = null;
        }
    }

    /**
     * One file read as a snapshot of its project and operation, or null when the project is not
     * incremental: {@link Snapshot#reading} wraps the file's reader (every record it names, including
     * rows accounted for before a restart, is noted), {@link Snapshot#changedOnly} the elements not yet
     * accounted for (those that need no sending are counted {@code unchanged} instead).
     */
    public Snapshot snapshot(Path file, String sourceName, String projectId, Operation operation, RunReport report) {
        if (!incremental(projectId, operation)) {
            return null;
        }
        FingerprintStore store = acquire();
        if (takeSentInFullMode(projectId, operation)) {
            long known = store.reset(projectId, operation.id());
            LOG.info("{}: records of project {} ({}) were sent in full mode since the last incremental snapshot: the "
                    + "fingerprints of {} records are forgotten and this snapshot is sent whole", sourceName, projectId,
                    operation.id(), known);
        }
        Path unconfirmed = unconfirmed(projectId, operation, sourceName);
        if (leftUnconfirmed(unconfirmed)) {
            long known = store.reset(projectId, operation.id());
            LOG.info("{}: a run stopped with elements of project {} ({}) out at the dialer, whose outcome is unknown: the "
                    + "fingerprints of {} records are forgotten and this snapshot is sent whole", sourceName, projectId,
                    operation.id(), known);
        }
        boolean full = forceFull || markedFull(sourceName);
        if (full) {
            LOG.info("{}: sent whole ({}), the fingerprints are taken again", sourceName,
                    forceFull ? "send --full" : "the file name is marked .full");
        }
        return new Snapshot(file, sourceName, store, store.scope(projectId, operation.id()), full, report, unconfirmed);
    }

    /**
     * What became of elements (route {@code record-outcome}): the accepted ones' values become their
     * records' fingerprints; the refused ones' are noted, so that the next snapshot says it retries them.
     */
    public void recorded(List<Element> accepted, List<Element> rejected) {
        noteSentInFullMode(accepted);
        noteSentInFullMode(rejected);
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
        FingerprintStore.Scope scope = null;
        for (Element element : accepted) {
            byte[] fingerprint = sentFingerprint(element);
            if (incremental(element.projectId(), element.operation())) {
                String key = RecordFingerprint.key(element);
                if (key != null) {
                    scope = scopeOf(store, scope, element);
                    scope.accept(key, fingerprint != null ? fingerprint : fingerprints.of(element));
                }
            }
        }
        for (Element element : rejected) {
            byte[] fingerprint = sentFingerprint(element);
            if (element.body() != null && incremental(element.projectId(), element.operation())) {
                String key = RecordFingerprint.key(element);
                if (key != null) {
                    scope = scopeOf(store, scope, element);
                    scope.refuse(key, fingerprint != null ? fingerprint : fingerprints.of(element));
                }
            }
        }
    }

    /** Where the snapshots with elements out at the dialer are noted, per project and operation (see {@link #unconfirmed}). */
    static final String UNCONFIRMED = "unconfirmed";

    /** The markers of this process's snapshots in progress (see {@link #unconfirmed}), by source name. */
    private final Map<String, Path> liveUnconfirmed = new ConcurrentHashMap<>();

    /**
     * The marker a snapshot leaves while its elements are out at the dialer: {@code state/unconfirmed/<project>-
     * <operation>/<source hash>}, written before its first element is passed on to be sent and deleted once the
     * file is finished (every element accepted or dead-lettered, {@link #finished}). A marker of another source
     * that no snapshot of this process owns was left by a run that stopped with elements out (a {@code kill -9},
     * a crash, a file given up): the dialer may hold values of those elements that no fingerprint says, so the
     * next snapshot of another file forgets the project's fingerprints and is sent whole. The same file resumed
     * needs no such thing: its elements not accounted for are sent again.
     */
    private Path unconfirmed(String projectId, Operation operation, String sourceName) {
        return stateDir.resolve(UNCONFIRMED).resolve(scopeName(projectId, operation))
                .resolve(Integer.toHexString(sourceName.hashCode()) + ".source");
    }

    /** A project and operation as one file name, for the markers under {@code state/}. */
    private static String scopeName(String projectId, Operation operation) {
        return io.dialerbridge.output.FileNamePart.of(projectId, "_") + "-" + operation.id();
    }

    /** Whether another run stopped with elements of this project and operation out; its markers are taken. */
    private boolean leftUnconfirmed(Path mine) {
        Path folder = mine.getParent();
        if (!Files.isDirectory(folder)) {
            return false;
        }
        boolean left = false;
        try (java.util.stream.Stream<Path> markers = Files.list(folder)) {
            for (Path marker : markers.toList()) {
                if (!marker.equals(mine) && !liveUnconfirmed.containsValue(marker)) {
                    Files.deleteIfExists(marker);
                    left = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return left;
    }

    private void markUnconfirmed(String sourceName, Path marker) {
        if (liveUnconfirmed.putIfAbsent(sourceName, marker) == null) {
            try {
                Files.createDirectories(marker.getParent());
                Files.writeString(marker, sourceName);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A file is finished: every element of it is accepted or dead-lettered, none is out at the dialer. */
    public void finished(String sourceName) {
        Path marker = liveUnconfirmed.remove(sourceName);
        if (marker != null) {
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Where a record changed outside incremental sync is noted, per project and operation (see {@link #noteSentInFullMode}). */
    static final String SENT_IN_FULL_MODE = "sent-in-full-mode";

    /**
     * Elements of an operation that incremental sync knows, sent while their project is in full mode (a run
     * with {@code SYNC_MODE=full}, a daemon configured so): when this home has a sync state, a marker file
     * {@code state/sent-in-full-mode/<project>-<operation>} says that the dialer may now hold values its
     * fingerprints do not know, and the project's next incremental snapshot forgets them and is sent whole
     * ({@link #snapshot}). Without it, a row back at its last accepted values after a change sent in full mode
     * would be counted unchanged and the full-mode change would stay in the dialer.
     */
    private void noteSentInFullMode(List<Element> elements) {
        if (elements.isEmpty() || !Files.exists(stateDir.resolve(FingerprintStore.FILE))) {
            return;
        }
        Set<Path> noted = new java.util.HashSet<>();
        for (Element element : elements) {
            if (element.operation() != null && OPERATIONS.contains(element.operation())
                    && !incremental(element.projectId(), element.operation())) {
                Path marker = sentInFullModeMarker(stateDir, element.projectId(), element.operation());
                if (noted.add(marker) && !Files.exists(marker)) {
                    try {
                        Files.createDirectories(marker.getParent());
                        Files.write(marker, new byte[0]);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    private static Path sentInFullModeMarker(Path stateDir, String projectId, Operation operation) {
        return stateDir.resolve(SENT_IN_FULL_MODE).resolve(scopeName(projectId, operation));
    }

    /**
     * Takes the full-mode marker of a project and operation, if there is one (moved aside first, so a marker
     * written meanwhile by another bridge stays for the next snapshot): whether the state must be forgotten.
     */
    private boolean takeSentInFullMode(String projectId, Operation operation) {
        Path marker = sentInFullModeMarker(stateDir, projectId, operation);
        if (!Files.exists(marker)) {
            return false;
        }
        Path taken = marker.resolveSibling(marker.getFileName() + ".taken");
        try {
            Files.move(marker, taken, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(taken);
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether records of a project and operation were sent in full mode since its last incremental snapshot. */
    public static boolean sentInFullMode(Path stateDir, String projectId, Operation operation) {
        return Files.exists(sentInFullModeMarker(stateDir, projectId, operation));
    }

    /** The fingerprint worked out when the element was read, if it is of these very values; forgotten either way. */
    private byte[] sentFingerprint(Element element) {
        Sent sent = element.id() == null ? null : sentFingerprints.remove(element.id());
        return sent == null ? null : sent.of(element);
    }

    private void rememberSent(Element element, byte[] fingerprint) {
        if (element.id() == null || element.body() == null) {
            return;
        }
        if (sentFingerprints.size() >= sentFingerprintsBound) {
            sentFingerprints.clear();
        }
        sentFingerprints.put(element.id(), new Sent(element, fingerprint));
    }

    private static FingerprintStore.Scope scopeOf(FingerprintStore store, FingerprintStore.Scope last, Element element) {
        String name = element.projectId() + "/" + element.operation().id();
        return last != null && last.name().equals(name) ? last : store.scope(element.projectId(), element.operation().id());
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
            users = 0;
        }
    }

    /** The unchanged rows counted at once into the report and the metrics (a meter a row cost more than the skip). */
    private static final int COUNT_EVERY = 4096;

    /** One file read as a snapshot. */
    public final class Snapshot {
        private final Path file;
        private final String sourceName;
        private final FingerprintStore store;
        private final FingerprintStore.Scope scope;
        private final boolean full;
        private final RunReport report;
        private final SnapshotKeys keys;
        private final long sizeAtStart;
        /** rows read, rows looked up, records of the snapshot found with a fingerprint */
        private long rowsRead;
        private long checked;
        private long known;
        private boolean released;
        private int uncounted;
        private Element uncountedExample;
        /** the key of the element read last, so it is worked out once for both stages */
        private Element lastRead;
        private String lastKey;

        private final Path unconfirmed;

        Snapshot(Path file, String sourceName, FingerprintStore store, FingerprintStore.Scope scope, boolean full,
                 RunReport report, Path unconfirmed) {
            this.unconfirmed = unconfirmed;
            this.file = file;
            this.sourceName = sourceName;
            this.store = store;
            this.scope = scope;
            this.full = full;
            this.report = report;
            this.sizeAtStart = scope.size();
            this.keys = new SnapshotKeys(sizeAtStart);
        }

        /** Every element of the file, as read: each record named is noted; at the end, the removed ones are listed. */
        public Iterator<Element> reading(Iterator<Element> read) {
            return new Stage(read) {
                @Override
                Element take(Element element) {
                    rowsRead++;
                    String key = keyOf(element);
                    if (key != null) {
                        keys.mark(SnapshotKeys.hash(key), SnapshotKeys.SEEN);
                    }
                    return element;
                }

                @Override
                void ended() {
                    listRemoved();
                }
            };
        }

        /** The elements not yet accounted for, without those the dialer already holds. */
        public Iterator<Element> changedOnly(Iterator<Element> notYetAccounted) {
            return new Stage(notYetAccounted) {
                @Override
                Element take(Element element) {
                    checked++;
                    String key = keyOf(element);
                    if (key == null) {
                        return element;
                    }
                    long hash = SnapshotKeys.hash(key);
                    byte[] fingerprint = fingerprints.of(element);
                    byte[] stored = scope.stored(key);
                    byte before = keys.mark(hash, SnapshotKeys.CHECKED);
                    if ((before & SnapshotKeys.CHECKED) == 0 && stored != null) {
                        known++;
                    }
                    // a record already sent in this snapshot is sent again whatever its values: its earlier
                    // change may yet be refused, and the later one must win as in a full send
                    if (!full && (before & SnapshotKeys.SENT) == 0 && FingerprintStore.Scope.holds(stored, fingerprint)) {
                        unchanged(element);
                        return null;
                    }
                    if (scope.wasRefused(key, fingerprint)) {
                        report.retriedFromEarlierRun(1);
                    }
                    keys.mark(hash, SnapshotKeys.SENT);
                    rememberSent(element, fingerprint);
                    markUnconfirmed(sourceName, unconfirmed);
                    return element;
                }

                @Override
                void ended() {
                    countUnchanged();
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        countUnchanged();
                        synchronized (Snapshot.this) {
                            if (!released) {
                                released = true;
                                release();
                            }
                        }
                    }
                }
            };
        }

        private String keyOf(Element element) {
            if (element == lastRead) {
                return lastKey;
            }
            lastRead = element;
            lastKey = element.isValid() ? RecordFingerprint.key(element) : null;
            return lastKey;
        }

        private void unchanged(Element element) {
            uncountedExample = element;
            if (++uncounted >= COUNT_EVERY) {
                countUnchanged();
            }
        }

        private void countUnchanged() {
            if (uncounted > 0) {
                report.unchanged(uncounted);
                unchangedMeter.accept(uncountedExample, (long) uncounted);
                uncounted = 0;
            }
        }

        /**
         * The records with a fingerprint that this snapshot does not name: listed in a file named after the
         * snapshot file's own modification time, then forgotten. A run resumed after a crash (the same
         * file, read whole again) lists them into the same file, together with those it listed before.
         */
        private void listRemoved() {
            // every row was looked up (no row accounted for before a restart) and as many records of the
            // snapshot had a fingerprint as the store held when it began: none left, no need to look through the store
            if (rowsRead == checked && known == sizeAtStart && !full) {
                return;
            }
            // a file written by `replay` holds a few dead letters, not the project's records: nothing it does not
            // name has left the CRM
            if (Path.of(sourceName).getFileName().toString().startsWith(io.dialerbridge.source.Replay.FILE_PREFIX)) {
                return;
            }
            List<String> removed = scope.notIn(keys);
            String base = Path.of(sourceName).getFileName().toString();
            Path list = reportsDir.resolve("removed-" + scope.name().replace('/', '-') + "-" + base + "-"
                    + STAMP.format(modified()) + ".txt");
            try {
                java.util.Set<String> all = new java.util.LinkedHashSet<>();
                if (Files.exists(list)) {
                    all.addAll(Files.readAllLines(list, StandardCharsets.UTF_8));
                }
                all.addAll(removed);
                if (all.isEmpty()) {
                    return;
                }
                if (!removed.isEmpty()) {
                    Files.createDirectories(reportsDir);
                    Path partial = list.resolveSibling(list.getFileName() + ".part");
                    Files.write(partial, all, StandardCharsets.UTF_8);
                    Files.move(partial, list, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    // only once they are listed durably
                    scope.forget(removed);
                    store.commit();
                }
                report.removed(all.size(), list.toString());
                LOG.info("{}: {} records of the previous snapshot are not in this one (nothing is deleted in the dialer): {}",
                        sourceName, all.size(), list);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private java.time.Instant modified() {
            try {
                return file == null ? clock.instant() : Files.getLastModifiedTime(file).toInstant();
            } catch (IOException e) {
                return clock.instant();
            }
        }
    }

    /** An element stage: {@link #take} returns the element to pass on, or null to drop it. */
    private abstract static class Stage implements Iterator<Element>, java.io.Closeable {
        private final Iterator<Element> elements;
        private Element next;
        private boolean ended;

        Stage(Iterator<Element> elements) {
            this.elements = elements;
        }

        abstract Element take(Element element);

        abstract void ended();

        @Override
        public boolean hasNext() {
            while (next == null && !ended) {
                if (!elements.hasNext()) {
                    ended = true;
                    ended();
                    break;
                }
                next = take(elements.next());
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
            if (elements instanceof java.io.Closeable closeable) {
                closeable.close();
            }
        }
    }
}
