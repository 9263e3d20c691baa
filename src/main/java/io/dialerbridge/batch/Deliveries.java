package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.DeadLetters;
import io.dialerbridge.output.RunReport;
import io.dialerbridge.policy.Exhaustion;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.source.ElementReader;
import io.dialerbridge.source.FileJournal;
import io.dialerbridge.sync.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.TreeMap;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bookkeeping of the pipeline: turns a source into work (batches and early rejections), notes
 * what became of every element (accepted, or durably dead-lettered) in the file's journal, and
 * reports per source and for the whole run. The routes call it; it knows nothing of Camel.
 */
public final class Deliveries {

    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final DeadLetters deadLetters;
    private final Path stateDir;
    private final boolean journalFsync;
    private final Map<String, FileJournal> journals = new ConcurrentHashMap<>();
    private final Map<String, FileJournal> finished = new ConcurrentHashMap<>();
    private final Map<String, String> stamps = new ConcurrentHashMap<>();
    private final int maxElements;
    private final Duration maxWait;
    private final Clock clock;
    private final Map<String, RunReport> bySource = new ConcurrentHashMap<>();
    private final RunReport total = new RunReport();
    private volatile boolean stopping;
    private final FieldMapping mapping;
    /** incremental sync of snapshots (docs/SYNC.md); null: every element is sent */
    private volatile SyncState sync;
    /** the pre-flight field check (docs/SYNC.md), after the operation's rules; by default nothing more */
    private volatile Function<Element, Rejection> fieldCheck = element -> null;

    public Deliveries(DeadLetters deadLetters, Path stateDir, boolean journalFsync, int maxElements,
                      Duration maxWait, Clock clock) {
        this(deadLetters, stateDir, journalFsync, maxElements, maxWait, clock, FieldMapping.NONE);
    }

    /** With the field mapping (mapping.file) that the elements of files go through. */
    public Deliveries(DeadLetters deadLetters, Path stateDir, boolean journalFsync, int maxElements,
                      Duration maxWait, Clock clock, FieldMapping mapping) {
        this.mapping = mapping;
        this.deadLetters = deadLetters;
        this.stateDir = stateDir;
        this.journalFsync = journalFsync;
        this.maxElements = maxElements;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /** With incremental sync: a file's elements that need no sending are counted unchanged instead. */
    public Deliveries syncing(SyncState sync) {
        this.sync = sync;
        return this;
    }

    /** With the pre-flight field check: an element the operation's rules pass is checked against its project's fields. */
    public Deliveries checkingFields(Function<Element, Rejection> fieldCheck) {
        this.fieldCheck = fieldCheck;
        return this;
    }

    /**
     * The work in one file, wave by wave (see {@link Waves}): batches of valid elements, and
     * elements rejected before sending; the pieces of one wave may go at once, each wave is read
     * as it is sent.
     */
    public Iterator<Iterator<Work>> work(File file, String sourceName, String projectId, String operation)
            throws IOException {
        return work(file, sourceName, projectId, operation, null);
    }

    /**
     * As {@link #work(File, String, String, String)}, reading only the first {@code pickedUpLength} bytes (the
     * file's length when the inbox picked it up; null: all of it): bytes appended while it is read are not read.
     */
    public Iterator<Iterator<Work>> work(File file, String sourceName, String projectId, String operation,
                                         Long pickedUpLength) throws IOException {
        Operation op = Operation.fromId(operation);
        ElementReader reader = openJournal(file, sourceName, projectId, op, pickedUpLength);
        RunReport report = bySource.get(sourceName);
        FileJournal journal = journals.get(sourceName);
        // incremental sync: the snapshot notes every record the file names, then sends only changed ones
        SyncState.Snapshot snapshot = sync == null ? null : sync.snapshot(file.toPath(), sourceName, projectId, op, report);
        Iterator<Element> remaining = new NotYetAccounted(snapshot == null ? reader : snapshot.reading(reader), journal,
                stopCheck(sourceName));
        if (snapshot != null) {
            remaining = snapshot.changedOnly(remaining);
        }
        Function<Element, Rejection> checkFields = fieldCheck;
        return new Waves(new Batcher(remaining, element -> {
            Rejection invalid = op.rules().validate(element.body(), element.defaults());
            return invalid != null ? invalid : checkFields.apply(element);
        }, maxElements, maxWait, clock));
    }

    /**
     * {@code ingest.file.mode=kafka}: the elements of a file not yet published or dead-lettered, read through the
     * file's journal as {@link #work} reads them. {@link io.dialerbridge.source.kafka.FilePublisher} accounts for
     * each published element once Kafka acknowledged it and every element before it, so a publish cut short (a
     * broker outage) resumes at the first element not acknowledged, in the file's order, instead of publishing the
     * whole file again. Only the first {@code pickedUpLength} bytes are read, as {@link #work} reads them.
     */
    public Iterator<Element> notYetPublished(File file, String sourceName, String projectId, String operation,
                                             Long pickedUpLength) throws IOException {
        ElementReader reader = openJournal(file, sourceName, projectId, Operation.fromId(operation), pickedUpLength);
        return new NotYetAccounted(reader, journals.get(sourceName), stopCheck(sourceName));
    }

    /**
     * Opens the journal of a file about to be read (its report starts with what the journal accounted before), and
     * a reader of the bytes the journal is about. A journal from before a restart is about the first bytes the file
     * had when it was first picked up ({@link FileJournal.Prefix}): while those bytes are unchanged the file resumes
     * from the journal, reading only them, even if the file grew since (what was appended is not read, as when a
     * file grows while it is read: the inbox moves it to failed/ and says where the unread bytes begin). A file
     * whose first bytes changed (rewritten in place, or cut short) is not the file the journal is about: the
     * journal is dropped and the file is read from its start as a new file.
     */
    private ElementReader openJournal(File file, String sourceName, String projectId, Operation op, Long pickedUpLength)
            throws IOException {
        String journalKey = journalKey(sourceName);
        String stamp = stampOf(file.toPath());
        takeOverPreviousJournal(file, sourceName, journalKey, pickedUpLength);
        FileJournal journal = FileJournal.open(stateDir, journalKey, journalFsync);
        if (journal.finishedStamp() != null && !journal.finishedStamp().equals(stamp)) {
            // finished before, and the bridge stopped before deleting the journal; this is a new drop under the same name
            journal.delete();
            journal = FileJournal.open(stateDir, journalKey, journalFsync);
        }
        ElementReader reader = null;
        try {
            Long readLength = pickedUpLength;
            FileJournal.Prefix covered = journal.prefix();
            if (covered != null) {
                long length = pickedUpLength != null ? pickedUpLength : file.length();
                if (covered.length() <= length && ElementReader.fileKey(file.toPath(), covered.length()).equals(covered.key())) {
                    readLength = covered.length();
                    if (covered.length() < length) {
                        LOG.warn("{} grew from {} to {} bytes before the restart: only its first {} bytes are read, as they "
                                + "were when it was picked up", sourceName, covered.length(), length, covered.length());
                    }
                } else {
                    LOG.warn("{}: its first {} bytes are no longer those it had when it was picked up before the restart "
                            + "(rewritten or cut short since): its journal is dropped and it is read from its start as a new "
                            + "file", sourceName, covered.length());
                    journal.delete();
                    journal = FileJournal.open(stateDir, journalKey, journalFsync);
                }
            }
            reader = ElementReader.open(file.toPath(), sourceName, projectId, op, mapping, readLength);
            String fileKey = reader.origin.fileKey();
            if (journal.prefix() == null) {
                journal.covers(new FileJournal.Prefix(lengthOf(fileKey), fileKey));
            }
            findPendingLetters(journal, fileKey, projectId, op.id());
        } catch (IOException | RuntimeException e) {
            journal.close();
            if (reader != null) {
                reader.close();
            }
            throw e;
        }
        stamps.put(sourceName, stamp);
        RunReport report = new RunReport();
        report.add(journal.replayed());
        if (journal.replayed().elements() > 0) {
            LOG.info("{}: resuming after a restart; {} elements were already accounted for", sourceName,
                    journal.replayed().elements());
        }
        bySource.put(sourceName, report);
        FileJournal previous = journals.put(sourceName, journal);
        if (previous != null) {
            previous.close();
        }
        return reader;
    }

    /**
     * Upgrading mid-file: the previous version named a file's journal by the checksum and size of the bytes it read and
     * the name's hashCode ({@code <crc32c>-<size>-<hash>.journal}). Such a journal of this file, while those bytes are
     * still the file's first ones, becomes its journal (with the {@code K} line it lacked), so that the upgrade sends
     * nothing twice.
     */
    private void takeOverPreviousJournal(File file, String sourceName, String journalKey, Long pickedUpLength)
            throws IOException {
        Path journal = stateDir.resolve(journalKey + ".journal");
        if (Files.exists(journal) || !Files.isDirectory(stateDir)) {
            return;
        }
        String suffix = "-" + Integer.toHexString(sourceName.hashCode()) + ".journal";
        List<Path> previous;
        try (java.util.stream.Stream<Path> files = Files.list(stateDir)) {
            previous = files.filter(path -> PREVIOUS_JOURNAL.matcher(path.getFileName().toString()).matches()
                    && path.getFileName().toString().endsWith(suffix)).toList();
        }
        long length = pickedUpLength != null ? pickedUpLength : file.length();
        for (Path candidate : previous) {
            String name = candidate.getFileName().toString();
            String fileKey = name.substring(0, name.length() - suffix.length());
            long covered = lengthOf(fileKey);
            if (covered <= length && ElementReader.fileKey(file.toPath(), covered).equals(fileKey)) {
                Path partial = journal.resolveSibling("." + journal.getFileName() + ".partial");
                Files.writeString(partial, "K " + covered + " " + fileKey + "\n"
                        + Files.readString(candidate, java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
                Files.move(partial, journal, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.delete(candidate);
                LOG.info("{}: took over its journal from the previous version ({})", sourceName, name);
                return;
            }
        }
    }

    /** The name of a journal of the previous version: {@code <crc32c>-<size>-<hash of the name>.journal}. */
    private static final java.util.regex.Pattern PREVIOUS_JOURNAL =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-\\d+-[0-9a-f]+\\.journal");

    /**
     * The name of a file's journal under state/: from the file's name only (its path in the inbox, or as given to
     * {@code send}), so that a file finds its journal whatever it became since; the journal says which bytes it is about.
     */
    public static String journalKey(String sourceName) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(sourceName.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "file-" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many bytes a file key covers: {@link ElementReader#fileKey} ends with it. */
    private static long lengthOf(String fileKey) {
        return Long.parseLong(fileKey.substring(fileKey.lastIndexOf('-') + 1));
    }

    /**
     * The bytes of a finished file that were read (its journal's length and checksum), for the inbox's check that the
     * file did not change meanwhile; {@code pickedUpLength} without a checksum when the bridge has no finished journal
     * for it.
     */
    public FileJournal.Prefix readPrefix(String sourceName, long pickedUpLength) {
        FileJournal journal = finished.get(sourceName);
        return journal != null && journal.prefix() != null ? journal.prefix() : new FileJournal.Prefix(pickedUpLength, null);
    }

    private Runnable stopCheck(String sourceName) {
        return () -> {
            if (stopping) {
                throw new StoppedTakingWork(sourceName);
            }
        };
    }

    /** A batch of several that got no answer in time: split in halves (the vendor's advice for timeouts). */
    public BatchOutcome timedOut(Batch batch, Throwable timeout) {
        return BatchOutcome.mustSplit(batch + " got no answer within the response timeout ("
                + Exhaustion.rootCause(timeout).getMessage() + ")");
    }

    /**
     * Marks the elements of an outcome accounted for (the file's journal, the reports). Route
     * {@code record-outcome} calls it only once the refused ones are durably dead-lettered.
     */
    public void accounted(BatchOutcome outcome) throws IOException {
        journal(outcome);
        for (Element element : outcome.accepted()) {
            report(element).accepted(1);
        }
        total.accepted(outcome.accepted().size());
        for (Element element : outcome.rejected()) {
            report(element).deadLettered(element.rejection().error(), 1);
            total.deadLettered(element.rejection().error(), 1);
        }
    }

    /**
     * An element refused before it was published to Kafka (ingest.file.mode=kafka): dead-lettered
     * durably, then accounted for.
     */
    public void reject(Element element) throws IOException {
        BatchOutcome outcome = BatchOutcome.single(element);
        deadLetters.write(outcome.rejected());
        accounted(outcome);
    }

    /**
     * Shutdown: files in progress stop yielding work at the next batch boundary (with
     * {@link StoppedTakingWork}), so only the batches already in flight finish; the file is not
     * finished and resumes from its journal on the next start.
     */
    public void stopTakingWork() {
        stopping = true;
    }

    /** A file in progress was interrupted by shutdown: it stays in the inbox and resumes later. */
    public static final class StoppedTakingWork extends RuntimeException {
        public StoppedTakingWork(String sourceName) {
            super("shutting down: " + sourceName + " stops here and resumes on the next start");
        }
    }

    /**
     * The report of a source whose every element is accounted for; it leaves the books. The file's
     * journal is marked finished and kept until {@link #release}: a crash before the file leaves the
     * inbox finishes it again on the next start without sending anything.
     */
    public RunReport finishSource(String sourceName) throws IOException {
        FileJournal journal = journals.remove(sourceName);
        if (journal != null) {
            journal.finished(stamps.getOrDefault(sourceName, "-"), sourceName);
            journal.close();
            finished.put(sourceName, journal);
        }
        stamps.remove(sourceName);
        if (sync != null) {
            sync.finished(sourceName);
        }
        RunReport report = bySource.remove(sourceName);
        return report == null ? new RunReport() : report;
    }

    /** The finished file has left the inbox (or {@code send} is done with it): its journal is deleted. */
    public void release(String sourceName) throws IOException {
        FileJournal journal = finished.remove(sourceName);
        if (journal != null) {
            journal.delete();
        }
    }

    /**
     * On start: deletes the journals of files finished before a crash that have left the inbox since
     * (a file still in the inbox keeps its journal and is finished from it without sending anything).
     */
    public int sweepFinishedJournals(Path inbox) throws IOException {
        int deleted = FileJournal.sweepFinished(stateDir, name -> Files.exists(inbox.resolve(name)));
        if (deleted > 0) {
            LOG.info("deleted {} journals of files finished before the last stop", deleted);
        }
        return deleted;
    }

    /**
     * Before the refused elements of an outcome are dead-lettered: the file's journal notes that their
     * letters are being written, so that a crash before they are noted as dead-lettered does not write
     * them twice (see {@link FileJournal#pendingLetters()}).
     */
    public void deadLettering(BatchOutcome outcome) throws IOException {
        List<Element> rejected = outcome.rejected();
        if (rejected.isEmpty() || !rejected.get(0).source().isFile()) {
            return;
        }
        FileJournal journal = journals.get(rejected.get(0).source().file());
        if (journal == null) {
            return;
        }
        for (Map.Entry<String, List<Element>> entry : byError(rejected).entrySet()) {
            journal.writingLetters(entry.getKey(), entry.getValue());
        }
    }

    /** After a crash: the pending letters found in the dead-letter output count as dead-lettered. */
    private void findPendingLetters(FileJournal journal, String fileKey, String projectId, String operation)
            throws IOException {
        Map<Integer, String> pending = journal.pendingLetters();
        if (pending.isEmpty()) {
            return;
        }
        int uncertain = pending.size();
        Set<String> ids = new HashSet<>();
        pending.keySet().forEach(line -> ids.add(fileKey + ":" + line));
        Set<String> written = deadLetters.alreadyWritten(projectId, operation, ids);
        Map<Integer, String> found = new TreeMap<>();
        pending.forEach((line, error) -> {
            if (written.contains(fileKey + ":" + line)) {
                found.put(line, error);
            }
        });
        if (!found.isEmpty()) {
            journal.lettersFound(found);
        }
        LOG.info("{} elements were being dead-lettered when the bridge stopped: {} letters were written (not written again), "
                + "{} are sent again", uncertain, found.size(), uncertain - found.size());
    }

    private static String stampOf(Path file) throws IOException {
        try {
            return Files.getAttribute(file, "unix:ctime").toString();
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return Files.getLastModifiedTime(file).toString();
        }
    }

    private static Map<String, List<Element>> byError(List<Element> rejected) {
        Map<String, List<Element>> byError = new TreeMap<>();
        for (Element element : rejected) {
            byError.computeIfAbsent(element.rejection().error(), e -> new ArrayList<>()).add(element);
        }
        return byError;
    }

    public RunReport total() {
        return total;
    }

    /** Notes in the file's journal that these elements are accounted for (after the dead letters are on disk). */
    private void journal(BatchOutcome outcome) throws IOException {
        List<Element> all = new ArrayList<>(outcome.accepted());
        all.addAll(outcome.rejected());
        if (all.isEmpty() || !all.get(0).source().isFile()) {
            return;
        }
        FileJournal journal = journals.get(all.get(0).source().file());
        if (journal == null) {
            return;
        }
        journal.accepted(outcome.accepted());
        for (Map.Entry<String, List<Element>> entry : byError(outcome.rejected()).entrySet()) {
            journal.deadLettered(entry.getKey(), entry.getValue());
        }
    }

    /** The elements of a file not yet accounted for before a restart. */
    private static final class NotYetAccounted implements Iterator<Element>, java.io.Closeable {
        private final Iterator<Element> reader;
        private final FileJournal journal;
        private final Runnable checkStopping;
        private Element next;

        NotYetAccounted(Iterator<Element> reader, FileJournal journal, Runnable checkStopping) {
            this.reader = reader;
            this.journal = journal;
            this.checkStopping = checkStopping;
        }

        @Override
        public boolean hasNext() {
            checkStopping.run();
            while (next == null && reader.hasNext()) {
                Element candidate = reader.next();
                if (!journal.isAccounted(candidate.source().line())) {
                    next = candidate;
                }
            }
            return next != null;
        }

        @Override
        public Element next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Element element = next;
            next = null;
            return element;
        }

        @Override
        public void close() throws IOException {
            if (reader instanceof java.io.Closeable closeable) {
                closeable.close();
            }
        }
    }

    private RunReport report(Element element) {
        String name = element.source().isFile() ? element.source().file() : element.source().topic();
        return bySource.computeIfAbsent(name, n -> new RunReport());
    }
}
