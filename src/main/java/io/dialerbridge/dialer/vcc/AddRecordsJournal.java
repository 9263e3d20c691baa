package io.dialerbridge.dialer.vcc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.output.AppendOnlyFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The durable journal of add-records, so that no retry and no restart creates a record twice. One
 * JSON object per line in {@code $BRIDGE_HOME/state/add-records-journal.ndjson}, keyed by the
 * element's deterministic id (file checksum and line): {@code sending} is written, and forced to
 * disk, before the POST; {@code created} (with the new numberid), {@code existed} (found by the
 * unique field after an unknown outcome) or {@code refused} after the answer. The last line for an
 * id wins; a torn last line (a crash while writing) is cut off ({@link AppendOnlyFile}).
 */
public final class AddRecordsJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum State { SENDING, CREATED, EXISTED, REFUSED }

    /** What the journal knows of one element. */
    public record Entry(State state, Long numberid) {
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    public AddRecordsJournal(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        try (AppendOnlyFile journal = AppendOnlyFile.open(file, true)) {
            for (String line : journal.lines()) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node != null && node.hasNonNull("id") && node.hasNonNull("state")) {
                        Long numberid = node.hasNonNull("numberid") ? node.get("numberid").asLong() : null;
                        entries.put(node.get("id").asText(), new Entry(State.valueOf(node.get("state").asText()
                                .toUpperCase(java.util.Locale.ROOT)), numberid));
                    }
                } catch (JacksonException | IllegalArgumentException e) {
                    // not a journal entry: the entry before it (if any) stands
                }
            }
        }
    }

    /** What is known of the element, or null when it was never sent. */
    public synchronized Entry get(String elementId) {
        return entries.get(elementId);
    }

    public void sending(String elementId) {
        put(elementId, new Entry(State.SENDING, null));
    }

    public void created(String elementId, Long numberid) {
        put(elementId, new Entry(State.CREATED, numberid));
    }

    public void existed(String elementId) {
        put(elementId, new Entry(State.EXISTED, null));
    }

    public void refused(String elementId) {
        put(elementId, new Entry(State.REFUSED, null));
    }

    private synchronized void put(String elementId, Entry entry) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", elementId);
        line.put("state", entry.state().name().toLowerCase(java.util.Locale.ROOT));
        if (entry.numberid() != null) {
            line.put("numberid", entry.numberid());
        }
        line.put("time", clock.instant().toString());
        try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
            out.append(JSON.writeValueAsString(line));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the add-records journal " + file, e);
        }
        entries.put(elementId, entry);
    }
}
