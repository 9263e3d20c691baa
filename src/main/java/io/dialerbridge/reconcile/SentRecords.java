package io.dialerbridge.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.ElementReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What modify-records input files ask the dialer to hold, for a sample of their records: for each
 * sampled {@code numberid}, the last value of every field its elements set (the project's defaults,
 * then the file's {@code default} object, then the element's {@code form}, in input order: the last
 * change wins, as it does in the dialer). Elements the bridge refuses before sending (the reader, the
 * operation's rules, the pre-flight field check; every element of a file the field check refuses as a
 * whole) were never sent: they are in the dead-letter output or failed/, not the dialer, so they are
 * counted as not sent and never compared. Elements addressed by {@code search} are counted as not
 * checkable. The files are read twice, streamed: once to draw the sample, once to collect its values,
 * so only the sampled records' values are held.
 *
 * @param records      numberid → field → the text sent last, in the order the sample was drawn
 * @param distinct     how many distinct numberids the files address (in elements that were sent)
 * @param notCheckable how many elements were sent but cannot be read back by numberid (search)
 * @param notSent      how many elements the bridge refuses before sending
 */
public record SentRecords(Map<String, Map<String, String>> records, long distinct, long notCheckable, long notSent) {

    /** What the bridge refuses before sending beyond the reader and the rules: the pre-flight field check. */
    public interface Preflight {
        /** Refuses nothing (the field check is off, or nothing to check against). */
        Preflight NONE = new Preflight() {
            @Override
            public boolean refusesFile(Path file) {
                return false;
            }

            @Override
            public boolean refuses(Element element) {
                return false;
            }
        };

        /** Whether the whole file is refused before its first element is sent (a CSV header naming an unknown field). */
        boolean refusesFile(Path file) throws IOException;

        /** Whether this element, valid for the reader and the rules, is refused before sending. */
        boolean refuses(Element element);
    }

    private static final Operation OPERATION = Operation.MODIFY_RECORDS;

    /**
     * Reads {@code files} for {@code projectId}; {@code sample} records drawn at random (every
     * record when {@code sample} is at least the number of records).
     */
    public static SentRecords read(List<Path> files, String projectId, ObjectNode projectDefaults, int sample,
                                   Random random) throws IOException {
        return read(files, projectId, projectDefaults, sample, random, Preflight.NONE);
    }

    /** As {@link #read(List, String, ObjectNode, int, Random)}, leaving out what {@code preflight} refuses. */
    public static SentRecords read(List<Path> files, String projectId, ObjectNode projectDefaults, int sample,
                                   Random random, Preflight preflight) throws IOException {
        return read(files, projectId, projectDefaults, sample, random, preflight, FieldMapping.NONE);
    }

    /**
     * As {@link #read(List, String, ObjectNode, int, Random, Preflight)}, reading the files through the field mapping
     * (mapping.file) as send and the daemon read them.
     */
    public static SentRecords read(List<Path> files, String projectId, ObjectNode projectDefaults, int sample,
                                   Random random, Preflight preflight, FieldMapping mapping) throws IOException {
        List<String> drawn = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long[] notCheckable = {0};
        long[] notSent = {0};
        forEachElement(files, projectId, preflight, mapping, (element, sent) -> {
            if (!sent) {
                notSent[0]++;
                return;
            }
            String numberid = checkableNumberid(element);
            if (numberid == null) {
                notCheckable[0]++;
            } else if (seen.add(numberid)) {
                int index = seen.size() - 1;
                if (index < sample) {
                    drawn.add(numberid);
                } else {
                    int slot = random.nextInt(index + 1);
                    if (slot < sample) {
                        drawn.set(slot, numberid);
                    }
                }
            }
        });
        Map<String, Map<String, String>> records = new LinkedHashMap<>();
        drawn.forEach(numberid -> records.put(numberid, new LinkedHashMap<>()));
        forEachElement(files, projectId, preflight, mapping, (element, sent) -> {
            Map<String, String> values = sent ? records.get(checkableNumberid(element)) : null;
            if (values != null) {
                putTexts(projectDefaults, values);
                putTexts(element.defaults(), values);
                putTexts((ObjectNode) element.body().get("form"), values);
            }
        });
        return new SentRecords(records, seen.size(), notCheckable[0], notSent[0]);
    }

    /** Every element of the files, and whether the bridge sends it (never for a file refused as a whole). */
    private static void forEachElement(List<Path> files, String projectId, Preflight preflight, FieldMapping mapping,
                                       BiConsumer<Element, Boolean> action) throws IOException {
        for (Path file : files) {
            boolean fileRefused = preflight.refusesFile(file);
            try (ElementReader reader = ElementReader.open(file, file.getFileName().toString(), projectId, OPERATION, mapping)) {
                for (Iterator<Element> it = reader; it.hasNext(); ) {
                    Element element = it.next();
                    action.accept(element, !fileRefused && sent(element, preflight));
                }
            }
        }
    }

    /** Whether the bridge sends the element: the reader, the operation's rules and the pre-flight check let it go. */
    private static boolean sent(Element element, Preflight preflight) {
        return element.isValid() && OPERATION.rules().validate(element.body(), element.defaults()) == null
                && !preflight.refuses(element);
    }

    /** The numberid a sent element selects, or null when it cannot be read back by numberid. */
    private static String checkableNumberid(Element element) {
        return element.body().has("numberid") ? element.body().get("numberid").asText().trim() : null;
    }

    private static void putTexts(ObjectNode values, Map<String, String> into) {
        if (values == null) {
            return;
        }
        values.fields().forEachRemaining(entry -> into.put(entry.getKey(), text(entry.getValue())));
    }

    /** A form value as the text the dialer is given: a list of choices joined by {@code |}. */
    private static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> pieces = new ArrayList<>();
            value.forEach(piece -> pieces.add(piece.asText()));
            return String.join("|", pieces);
        }
        return value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }
}
