package io.dialerbridge.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
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
import java.util.function.Consumer;

/**
 * What modify-records input files ask the dialer to hold, for a sample of their records: for each
 * sampled {@code numberid}, the last value of every field its elements set (the project's defaults,
 * then the file's {@code default} object, then the element's {@code form}, in input order: the last
 * change wins, as it does in the dialer). Elements addressed by {@code search}, and elements the
 * bridge refuses before sending (they are in the dead-letter output, not the dialer), are counted as
 * not checkable. The files are read twice, streamed: once to draw the sample, once to collect its
 * values, so only the sampled records' values are held.
 *
 * @param records      numberid → field → the text sent last, in the order the sample was drawn
 * @param distinct     how many distinct numberids the files address
 * @param notCheckable how many elements cannot be read back by numberid
 */
public record SentRecords(Map<String, Map<String, String>> records, long distinct, long notCheckable) {

    private static final Operation OPERATION = Operation.MODIFY_RECORDS;

    /**
     * Reads {@code files} for {@code projectId}; {@code sample} records drawn at random (every
     * record when {@code sample} is at least the number of records).
     */
    public static SentRecords read(List<Path> files, String projectId, ObjectNode projectDefaults, int sample,
                                   Random random) throws IOException {
        List<String> drawn = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long[] notCheckable = {0};
        forEachElement(files, projectId, element -> {
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
        forEachElement(files, projectId, element -> {
            Map<String, String> values = records.get(checkableNumberid(element));
            if (values != null) {
                putTexts(projectDefaults, values);
                putTexts(element.defaults(), values);
                putTexts((ObjectNode) element.body().get("form"), values);
            }
        });
        return new SentRecords(records, seen.size(), notCheckable[0]);
    }

    private static void forEachElement(List<Path> files, String projectId, Consumer<Element> action) throws IOException {
        for (Path file : files) {
            try (ElementReader reader = ElementReader.open(file, file.getFileName().toString(), projectId, OPERATION)) {
                for (Iterator<Element> it = reader; it.hasNext(); ) {
                    action.accept(it.next());
                }
            }
        }
    }

    /** The numberid an element selects, or null when it cannot be read back by numberid. */
    private static String checkableNumberid(Element element) {
        if (!element.isValid() || OPERATION.rules().validate(element.body(), element.defaults()) != null
                || !element.body().has("numberid")) {
            return null;
        }
        return element.body().get("numberid").asText().trim();
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
