package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.ProjectId;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.ElementReader;
import io.dialerbridge.source.PolledRecord;
import io.dialerbridge.source.StrictJson;
import io.dialerbridge.source.StrictUtf8;
import io.dialerbridge.source.kafka.ChangeEvent;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns one Kafka poll into work, the way {@link Batcher} does for a file: elements refused before
 * sending (malformed values, no project, invalid for their operation), and {@link Batch}es of valid
 * elements grouped by project, operation and {@code default} object (a map-based grouping, since a
 * poll interleaves partitions and topics).
 *
 * <p>The work comes in <em>waves</em>: the batches of one wave may be sent in parallel, a wave starts
 * only after the previous one is accounted for. Two elements for the same record (same project and
 * {@code numberid}, or the same {@code search}) never share a batch: the later one goes into a later
 * wave. So updates to one record are applied in offset order even with several batches in flight,
 * and even when a batch is bisected or one of its elements re-sent later. A poll whose records all
 * change different records is a single wave.
 */
public final class PollBatcher {

    private final Map<String, Operation> operationsByTopic;
    private final int maxElements;
    private final KafkaFormat format;
    private final FieldMapping mapping;
    private final AtomicLong tombstonesIgnored = new AtomicLong();
    private final AtomicLong deletesSkipped = new AtomicLong();
    /** the pre-flight field check (docs/SYNC.md), after the operation's rules; by default nothing more */
    private volatile java.util.function.Function<Element, Rejection> fieldCheck = element -> null;
    /** told of every record ignored on purpose (the metrics count them); by default no one */
    private volatile java.util.function.Consumer<Ignored> onIgnored = ignored -> { };

    /**
     * A record read and deliberately not made an element: a tombstone (reason {@code tombstone}), or a
     * Debezium delete with {@code kafka.debezium.deletes=skip} (reason {@code delete}). Its offset counts as
     * accounted for.
     */
    public record Ignored(SourceRef source, String projectId, Operation operation, String reason) {
        public static final String TOMBSTONE = "tombstone";
        public static final String DELETE = "delete";
    }

    /** How a value becomes an element: {@code kafka.format}, {@code kafka.debezium.deletes}, {@code kafka.default-project}. */
    public record KafkaFormat(boolean debezium, boolean deadLetterDeletes, String defaultProject) {
        public static final KafkaFormat ELEMENT = new KafkaFormat(false, false, null);
    }

    public PollBatcher(Map<String, Operation> operationsByTopic, int maxElements) {
        this(operationsByTopic, maxElements, KafkaFormat.ELEMENT, FieldMapping.NONE);
    }

    /** With the value format and the field mapping (mapping.file) applied to each element (the row of a change event). */
    public PollBatcher(Map<String, Operation> operationsByTopic, int maxElements, KafkaFormat format, FieldMapping mapping) {
        this.format = format;
        this.mapping = mapping;
        if (maxElements < 1) {
            throw new IllegalArgumentException("batch.max-elements must be at least 1, was " + maxElements);
        }
        this.operationsByTopic = Map.copyOf(operationsByTopic);
        this.maxElements = maxElements;
    }

    /** With the pre-flight field check: an element the operation's rules pass is checked against its project's fields. */
    public PollBatcher checkingFields(java.util.function.Function<Element, Rejection> fieldCheck) {
        this.fieldCheck = fieldCheck;
        return this;
    }

    /** Tells {@code onIgnored} of every record ignored on purpose (see {@link Ignored}). */
    public PollBatcher reportingIgnored(java.util.function.Consumer<Ignored> onIgnored) {
        this.onIgnored = onIgnored;
        return this;
    }

    private record Group(String projectId, Operation operation, ObjectNode defaults) {
    }


    /** The work of one poll, wave by wave: each wave holds {@link Rejected} elements and {@link Batch}es. */
    public List<List<Work>> waves(List<PolledRecord> records) {
        List<Work> rejected = new ArrayList<>();
        Map<Group, Map<Integer, List<List<Element>>>> chunks = new LinkedHashMap<>();
        Map<String, Integer> lastWave = new HashMap<>();
        int waveCount = 1;
        for (PolledRecord record : records) {
            Element element = element(record);
            if (element == null) {
                continue; // ignored on purpose, and counted
            }
            if (!element.isValid()) {
                rejected.add(new Rejected(element));
                continue;
            }
            Group group = new Group(element.projectId(), element.operation(), element.defaults());
            Map<Integer, List<List<Element>>> byWave = chunks.computeIfAbsent(group, g -> new LinkedHashMap<>());
            String key = element.recordKey();
            Integer previous = key == null ? null : lastWave.get(key);
            // a later change to the same record goes into a later wave, never into the same batch: a
            // batch's elements may be bisected or re-sent independently (see RecordOrder)
            int wave = previous == null ? 0 : previous + 1;
            List<List<Element>> inWave = byWave.computeIfAbsent(wave, w -> new ArrayList<>());
            if (inWave.isEmpty() || inWave.get(inWave.size() - 1).size() >= maxElements) {
                inWave.add(new ArrayList<>());
            }
            inWave.get(inWave.size() - 1).add(element);
            if (key != null) {
                lastWave.put(key, wave);
            }
            waveCount = Math.max(waveCount, wave + 1);
        }
        List<List<Work>> waves = new ArrayList<>();
        for (int i = 0; i < waveCount; i++) {
            waves.add(new ArrayList<>());
        }
        waves.get(0).addAll(rejected);
        chunks.forEach((group, byWave) -> byWave.forEach((wave, list) -> {
            for (List<Element> chunk : list) {
                waves.get(wave).add(new Batch(group.projectId(), group.operation(), group.defaults(), chunk));
            }
        }));
        waves.removeIf(List::isEmpty);
        return waves;
    }

    /**
     * Valid elements that change different records, in offset order, as batches grouped by project,
     * operation and {@code default} object, of at most {@code batch.max-elements} each.
     */
    public List<Work> batches(List<Element> elements) {
        Map<Group, List<List<Element>>> chunks = new LinkedHashMap<>();
        for (Element element : elements) {
            List<List<Element>> list = chunks.computeIfAbsent(
                    new Group(element.projectId(), element.operation(), element.defaults()), g -> new ArrayList<>());
            if (list.isEmpty() || list.get(list.size() - 1).size() >= maxElements) {
                list.add(new ArrayList<>());
            }
            list.get(list.size() - 1).add(element);
        }
        List<Work> work = new ArrayList<>();
        chunks.forEach((group, list) -> list.forEach(chunk ->
                work.add(new Batch(group.projectId(), group.operation(), group.defaults(), chunk))));
        return work;
    }

    /** Debezium delete events skipped so far ({@code kafka.debezium.deletes=skip}). */
    public long deletesSkipped() {
        return deletesSkipped.get();
    }

    /** Tombstones (records without a value) ignored so far, in every {@code kafka.format}. */
    public long tombstonesIgnored() {
        return tombstonesIgnored.get();
    }

    /**
     * One record as an element: valid, or rejected with the reason (malformed value, no project,
     * invalid); null for a record ignored on purpose (a tombstone, a skipped delete), which is counted
     * ({@link Ignored}) here, once per read.
     */
    Element element(PolledRecord record) {
        return element(record, this::count);
    }

    /**
     * One record read, not yet counted: its element, or (element null) why it is ignored on purpose. Lets
     * a caller read records outside its own lock and count an ignored one ({@link #count}) only once it
     * takes the record.
     */
    record Read(Element element, Ignored ignored) {
    }

    /** {@link #element(PolledRecord)} without counting a record ignored on purpose: see {@link Read}. */
    Read read(PolledRecord record) {
        Ignored[] ignored = new Ignored[1];
        Element element = element(record, why -> ignored[0] = why);
        return new Read(element, ignored[0]);
    }

    /** Counts a record ignored on purpose, and tells {@code onIgnored}. */
    void count(Ignored ignored) {
        if (Ignored.DELETE.equals(ignored.reason())) {
            deletesSkipped.incrementAndGet();
        } else {
            tombstonesIgnored.incrementAndGet();
        }
        onIgnored.accept(ignored);
    }

    private Element element(PolledRecord record, java.util.function.Consumer<Ignored> ignore) {
        Operation operation = operationsByTopic.get(record.topic());
        if (operation == null) {
            throw new IllegalStateException("no operation is configured for topic " + record.topic()
                    + " (kafka.topics.<operation>)");
        }
        SourceRef source = SourceRef.kafka(record.topic(), record.partition(), record.offset());
        // the projectid header, checked before it names anything (a dead-letter file, a URL): a wrong one is
        // refused below, once the value is read; until then the record is of no project
        String headerText = blankToNull(record.projectidHeader());
        String header = ProjectId.orNull(headerText);
        // the value as bytes: bounded, and decoded strictly (invalid UTF-8 is dead-lettered, never repaired)
        byte[] bytes = record.value();
        if (bytes != null && bytes.length > ElementReader.MAX_ELEMENT_BYTES) {
            return rejected(source, header, operation, null, null, "error.element_too_large", "the value at " + source
                    + " has " + bytes.length + " bytes, more than the " + ElementReader.MAX_ELEMENT_BYTES + " an element may have");
        }
        String value;
        try {
            value = bytes == null ? null : StrictUtf8.decode(bytes);
        } catch (StrictUtf8.InvalidUtf8 e) {
            return new Element(source.key(), header, operation, null, null, source, null, Rejection.beforeSending(
                    "error.malformed_encoding", "the value at " + source + " is not valid UTF-8: " + e.getMessage()), bytes);
        }
        if (value != null && value.startsWith("\uFEFF")) {
            value = value.substring(1); // a byte order mark is dropped, as in files
        }
        // a tombstone (no value: a compaction marker) in every format; a blank value only in Debezium's
        if (value == null || format.debezium() && value.isBlank()) {
            return tombstone(source, header, operation, ignore);
        }
        if (value == null || value.isBlank()) {
            return rejected(source, header, operation, null, value, "error.malformed_json",
                    "the record has no value (" + source + ")");
        }
        JsonNode node;
        try {
            node = StrictJson.read(value);
        } catch (JacksonException e) {
            return rejected(source, header, operation, null, value, "error.malformed_json",
                    "the value at " + source + " is not valid JSON: " + e.getOriginalMessage());
        }
        String raw = null;
        if (format.debezium()) {
            ChangeEvent event = ChangeEvent.of(node);
            if (event instanceof ChangeEvent.Tombstone) {
                return tombstone(source, header, operation, ignore);
            }
            if (event instanceof ChangeEvent.Delete) {
                return deleted(source, header, operation, value, ignore);
            }
            if (event instanceof ChangeEvent.NotARow notARow) {
                return rejected(source, header, operation, null, value, "error.not_a_change_event",
                        notARow.why() + " (" + source + ")");
            }
            node = ((ChangeEvent.Row) event).row();
            raw = value;
        }
        if (!(node instanceof ObjectNode body)) {
            return rejected(source, header, operation, null, value, "error.malformed_element",
                    "the value at " + source + " is JSON but not an object");
        }
        ObjectNode defaults = null;
        if (body.get("default") instanceof ObjectNode given) {
            defaults = given;
            body.remove("default");
        }
        JsonNode inBody = body.get("projectid");
        String fromBody = null;
        if (inBody != null && !inBody.isNull()) {
            try {
                fromBody = ProjectId.of(inBody);
            } catch (ProjectId.Invalid e) {
                return rejected(source, null, operation, body, null, ProjectId.WRONG,
                        "the element's " + e.getMessage() + " (" + source + ")");
            }
        }
        if (headerText != null && header == null) {
            try {
                ProjectId.parse(headerText);
            } catch (ProjectId.Invalid e) {
                return rejected(source, null, operation, body, null, ProjectId.WRONG,
                        "the record's header " + e.getMessage() + " (" + source + ")");
            }
        }
        if (fromBody != null && header != null && !fromBody.equals(header)) {
            return rejected(source, header, operation, body, null, "error.ambiguous_projectid",
                    "the element says projectid " + fromBody + " but the record's projectid header says " + header);
        }
        String projectId = fromBody != null ? fromBody : header != null ? header : format.defaultProject();
        Element element = new Element(source.key(), projectId, operation, body, raw, source, defaults, null);
        if (projectId == null) {
            return element.rejected(Rejection.beforeSending("error.missing_projectid",
                    "the element has no projectid, the record has no projectid header, and kafka.default-project is not set"));
        }
        element = mapping.apply(element);
        if (!element.isValid()) {
            return element;
        }
        Rejection invalid = operation.rules().validate(element.body(), element.defaults());
        if (invalid == null) {
            invalid = fieldCheck.apply(element);
        }
        return invalid == null ? element : element.rejected(invalid);
    }

    /**
     * A Debezium delete: dead-lettered (kafka.debezium.deletes=dead-letter, the default: the dialer API has
     * no delete, so an operator sees it), or ignored and counted with kafka.debezium.deletes=skip.
     */
    private Element deleted(SourceRef source, String header, Operation operation, String value,
                            java.util.function.Consumer<Ignored> ignore) {
        String project = header != null ? header : format.defaultProject();
        if (!format.deadLetterDeletes()) {
            ignore.accept(new Ignored(source, project, operation, Ignored.DELETE));
            return null;
        }
        return rejected(source, project, operation, null, value, "error.delete_event", "the change event at " + source
                + " deletes a row, and the dialer API has no delete: nothing was deleted in the dialer");
    }

    /** A tombstone (compaction marker, no content): ignored, counted, its offset committed. */
    private Element tombstone(SourceRef source, String header, Operation operation,
                              java.util.function.Consumer<Ignored> ignore) {
        ignore.accept(new Ignored(source, header != null ? header : format.defaultProject(), operation, Ignored.TOMBSTONE));
        return null;
    }

    private static Element rejected(SourceRef source, String projectId, Operation operation, ObjectNode body,
                                    String raw, String error, String message) {
        return new Element(source.key(), projectId, operation, body, raw, source, null,
                Rejection.beforeSending(error, message));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
