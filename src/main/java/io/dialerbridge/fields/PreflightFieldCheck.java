package io.dialerbridge.fields;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.CsvErrorFiles;
import io.dialerbridge.output.RunReport;
import io.dialerbridge.source.ElementReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pre-flight field check (docs/SYNC.md): reads a project's fields ({@code GET /v2/projects/{id}})
 * before a file's first batch, and keeps them for {@code fields.cache-ttl} ms per project for Kafka;
 * refuses a CSV file whose header names a field the project does not have; checks each element with
 * {@link FieldCheck}; and lists per file the choice values that accepted elements made the dialer create.
 *
 * <p>Fields that cannot be read (no connection, a timeout, 5xx, refused credentials): with
 * {@code fields.new-values=allow} the elements go unchecked (the dialer still refuses an unknown field
 * itself, element by element), with a warning and the meter {@code dialer_bridge_field_checks_skipped_total};
 * a failed read is tried again after at most {@link #RETRY_UNREADABLE}. With {@code refuse} nothing goes
 * unchecked: {@link FieldsUnavailableException}.
 *
 * <p>The new choice values of a checked element wait here for its outcome. A file's are let go when the
 * file finishes; a Kafka element's when its outcome is recorded, when its partition leaves this consumer
 * ({@link #forget(String, int)}: revoked or lost in a rebalance, its outcome may never come here), or
 * when the same record is checked again (a partition read again from its committed offset). At most
 * {@link #MAX_PENDING} wait at once: past that a Kafka element's new values are not noted (only its
 * log line is lost; the element is sent as usual), so a long-running daemon never grows without bound.
 */
public final class PreflightFieldCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PreflightFieldCheck.class);
    /** How long a failed read of a project's fields stands before the next element tries again. */
    static final Duration RETRY_UNREADABLE = Duration.ofSeconds(30);
    /** The most elements whose new choice values wait for their outcome at once (see the class comment). */
    static final int MAX_PENDING = 100_000;

    private final Function<String, ProjectFields> reader;
    private final boolean enabled;
    private final Duration ttl;
    private final FieldCheck.NewValues newValues;
    private final FieldMapping mapping;
    private final Clock clock;
    private final Consumer<String> skipped;
    private final Map<String, Cached> byProject = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** a file's fields, read before its first batch and kept for all its elements; null: unchecked */
    private final Map<String, Pinned> bySource = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<String>>> newValuesBySource = new ConcurrentHashMap<>();
    /** the new choice values of elements checked and not accounted for yet, by source and element id */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean pendingFull;

    /** {@code partition}: the Kafka partition of the element, -1 for a file's. */
    private record Pending(String source, int partition, String projectId, boolean kafka, Map<String, Set<String>> newValues) {
    }

    private record Cached(ProjectFields fields, Instant until) {
    }

    private record Pinned(ProjectFields fields) {
    }

    /**
     * @param reader    reads a project's fields, throwing {@link ProjectFieldsReader.Unreadable}
     * @param skipped   told the project whenever its elements go unchecked because its fields cannot be read
     */
    public PreflightFieldCheck(Function<String, ProjectFields> reader, boolean enabled, Duration ttl, String newValues,
                               FieldMapping mapping, Clock clock, Consumer<String> skipped) {
        this.reader = reader;
        this.enabled = enabled;
        this.ttl = ttl;
        this.newValues = FieldCheck.NewValues.of(newValues);
        this.mapping = mapping;
        this.clock = clock;
        this.skipped = skipped;
    }

    private static boolean hasProjectFields(Operation operation) {
        return operation != Operation.UPDATE_OUTBOUND_RECORDS;
    }

    /**
     * Route step before a file's first batch: reads the project's fields (afresh, so a file sees the
     * project as it is now) and refuses a CSV file whose header names a field the project does not have.
     */
    public void beforeFirstBatch(File file, String sourceName, String projectId, String operation) throws IOException {
        Operation op = Operation.fromId(operation);
        newValuesBySource.remove(sourceName);
        if (!enabled || !hasProjectFields(op)) {
            bySource.remove(sourceName);
            return;
        }
        byProject.remove(projectId);
        ProjectFields fields = fieldsOf(projectId);
        bySource.put(sourceName, new Pinned(fields));
        if (fields == null || !file.getName().toLowerCase().endsWith(".csv") || mapping.maps(projectId, op)) {
            return;
        }
        List<String> header = header(file);
        List<String> unknown = FieldCheck.unknownColumns(fields, op, header);
        if (!unknown.isEmpty()) {
            bySource.remove(sourceName);
            throw new UnknownColumnsException("the CSV header names " + (unknown.size() == 1 ? "a column" : "columns")
                    + " that project " + projectId + " has no field for: " + String.join(", ", unknown)
                    + " (error.field_not_exists; the project's fields: " + String.join(", ", fields.names())
                    + "); nothing was sent");
        }
    }

    /**
     * The element's verdict: null when it may be sent. Its new choice values wait for its outcome: only an
     * element the dialer accepted created them ({@link #recorded}).
     */
    public Rejection check(Element element) {
        if (!enabled || element.body() == null || !hasProjectFields(element.operation()) || element.projectId() == null) {
            return null;
        }
        String source = element.source() != null && element.source().isFile() ? element.source().file() : null;
        Pinned pinned = source == null ? null : bySource.get(source);
        ProjectFields fields = pinned != null ? pinned.fields() : fieldsOf(element.projectId());
        if (fields == null) {
            return null;
        }
        FieldCheck.Verdict verdict = FieldCheck.check(fields, element.operation(), element.body(), element.defaults(),
                newValues);
        if (verdict.passed() && !verdict.newValues().isEmpty()) {
            String name = source != null ? source : element.source().topic();
            String key = key(name, element);
            if (source != null || pending.containsKey(key) || pending.size() < MAX_PENDING) {
                pending.put(key, new Pending(name, source != null ? -1 : element.source().partition(), element.projectId(),
                        source == null, verdict.newValues()));
            } else if (!pendingFull) {
                pendingFull = true;
                LOG.warn("{} Kafka elements' new choice values wait for their outcome: the values of more are not "
                        + "listed until some are accounted for (the elements are sent as usual)", MAX_PENDING);
            }
        } else if (source == null && element.source() != null) {
            // a record read again: what an earlier reading of it noted no longer waits
            pending.remove(key(element.source().topic(), element));
        }
        return verdict.rejection();
    }

    /**
     * Route step once a batch's outcome is recorded: the new choice values of the accepted elements go to
     * their source's report (for Kafka, a log line each); those of the refused ones are dropped, as the
     * dialer did not create them.
     */
    public void recorded(List<Element> accepted, List<Element> rejected) {
        for (Element element : accepted) {
            Pending created = pending.remove(key(element));
            if (created != null) {
                noteNewValues(created.source(), created.projectId(), created.newValues(), created.kafka());
            }
        }
        for (Element element : rejected) {
            pending.remove(key(element));
        }
        if (pendingFull && pending.size() < MAX_PENDING) {
            pendingFull = false;
        }
    }

    /**
     * A Kafka partition left this consumer (revoked or lost in a rebalance): the outcomes of its elements
     * checked here may never be recorded here (its held work is dropped, its next owner reads it again), so
     * their new values stop waiting.
     */
    public void forget(String topic, int partition) {
        pending.values().removeIf(p -> p.kafka() && p.partition() == partition && p.source().equals(topic));
        if (pending.size() < MAX_PENDING) {
            pendingFull = false;
        }
    }

    /** How many elements' new choice values wait for their outcome. */
    public int pendingCount() {
        return pending.size();
    }

    private static String key(Element element) {
        if (element.source() == null) {
            return key(null, element);
        }
        return key(element.source().isFile() ? element.source().file() : element.source().topic(), element);
    }

    /** A file's element ids are its content's key and a line: two files with the same bytes share them, so the source too. */
    private static String key(String source, Element element) {
        return source + "\u0000" + element.id();
    }

    /** Route step after a file's last element: its report lists the new choice values sent; its fields are let go. */
    public RunReport finished(RunReport report, String sourceName) {
        bySource.remove(sourceName);
        pending.values().removeIf(p -> p.source().equals(sourceName));
        Map<String, Set<String>> created = newValuesBySource.remove(sourceName);
        if (created != null && report != null) {
            created.forEach(report::newValues);
        }
        return report;
    }

    /** The fields of a project, from the cache or read now; null when they cannot be read (allow). */
    public ProjectFields fieldsOf(String projectId) {
        Cached cached = byProject.get(projectId);
        if (cached != null && clock.instant().isBefore(cached.until())) {
            if (cached.fields() == null) {
                skipped.accept(projectId);
            }
            return cached.fields();
        }
        // one read per project at a time: the consumers and senders that miss together wait for it
        synchronized (locks.computeIfAbsent(projectId, p -> new Object())) {
            cached = byProject.get(projectId);
            if (cached != null && clock.instant().isBefore(cached.until())) {
                if (cached.fields() == null) {
                    skipped.accept(projectId);
                }
                return cached.fields();
            }
            return read(projectId);
        }
    }

    private ProjectFields read(String projectId) {
        Instant now = clock.instant();
        try {
            ProjectFields fields = reader.apply(projectId);
            byProject.put(projectId, new Cached(fields, now.plus(ttl)));
            return fields;
        } catch (ProjectFieldsReader.Unreadable e) {
            if (newValues == FieldCheck.NewValues.REFUSE) {
                throw new FieldsUnavailableException("the fields of project " + projectId + " cannot be read, and with "
                        + "fields.new-values=refuse nothing is sent unchecked: " + e.getMessage());
            }
            LOG.warn("the fields of project {} cannot be read; its elements go without the pre-flight field check "
                    + "for up to {} s: {}", projectId, RETRY_UNREADABLE.toSeconds(), e.getMessage());
            skipped.accept(projectId);
            byProject.put(projectId, new Cached(null, now.plus(ttl.compareTo(RETRY_UNREADABLE) < 0 ? ttl : RETRY_UNREADABLE)));
            return null;
        }
    }

    private void noteNewValues(String source, String projectId, Map<String, Set<String>> created, boolean log) {
        Map<String, Set<String>> noted = newValuesBySource.computeIfAbsent(source, s -> new ConcurrentHashMap<>());
        created.forEach((field, values) -> {
            Set<String> known = noted.computeIfAbsent(field, f -> ConcurrentHashMap.newKeySet());
            for (String value : values) {
                if (known.add(value) && log) {
                    LOG.info("project {}: field '{}' is sent the value '{}', which the dialer creates (fields.new-values=allow)",
                            projectId, field, value);
                }
            }
        });
    }

    /** The new values noted for a source so far, by field (for Kafka: by topic). */
    public Map<String, Set<String>> newValues(String source) {
        Map<String, Set<String>> out = new TreeMap<>();
        newValuesBySource.getOrDefault(source, Map.of()).forEach((f, v) -> out.put(f, new LinkedHashSet<>(v)));
        return out;
    }

    private static List<String> header(File file) {
        List<String> columns;
        try {
            columns = ElementReader.csvHeader(file.toPath());
        } catch (IOException e) {
            columns = null;
        }
        if (columns == null) {
            return List.of(); // a header the reader cannot read: the reader refuses the file with its own reason
        }
        List<String> header = new ArrayList<>();
        for (String column : columns) {
            String name = column.trim();
            if (!name.equals(CsvErrorFiles.ERROR) && !name.equals(CsvErrorFiles.ERROR_MESSAGE)) {
                header.add(name);
            }
        }
        return header;
    }
}
