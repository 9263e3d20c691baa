package io.dialerbridge.source;

import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns dead letters back into inbox files, once the cause is fixed: every letter that holds its
 * element goes to {@code inbox/<projectid>/<operation>/replay-<time>-<n>.json} as a whole request
 * body (with the {@code default} it came with, if any), written under a temporary name and renamed,
 * so the daemon picks up only complete files. Letters without an element (the input could not be
 * parsed) cannot be replayed as they are: they are counted and left for a person, with their raw text.
 */
public final class Replay {

    /** The name of every file replay writes begins so: incremental sync takes it for a few letters, not a snapshot. */
    public static final String FILE_PREFIX = "replay-";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What a replay did. */
    public record Summary(int replayed, int needsFix, int skippedByFilter, List<Path> files) {
    }

    private final Path inbox;
    private final Clock clock;

    public Replay(Path inbox, Clock clock) {
        this.inbox = inbox;
        this.clock = clock;
    }

    /**
     * @param deadLetterFiles dead-letter files (one JSON object per line)
     * @param errors          replay only letters with one of these errors; empty: all
     */
    public Summary replay(List<Path> deadLetterFiles, Set<String> errors) throws IOException {
        Map<String, ObjectNode> requests = new LinkedHashMap<>();
        Map<String, String> folders = new LinkedHashMap<>();
        int replayed = 0;
        int needsFix = 0;
        int skipped = 0;
        for (Path file : deadLetterFiles) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long number = 0;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode letter = parse(line, file, number);
                    if (!errors.isEmpty() && !errors.contains(letter.path("error").asText())) {
                        skipped++;
                        continue;
                    }
                    JsonNode element = letter.get("element");
                    if (element == null || !element.isObject()) {
                        needsFix++;
                        continue;
                    }
                    String project = letter.path("projectid").asText();
                    String operation = letter.path("operation").asText();
                    Operation.fromId(operation);
                    JsonNode defaults = letter.get("default");
                    String key = project + "/" + operation + "/" + (defaults == null ? "" : defaults.toString());
                    ObjectNode request = requests.computeIfAbsent(key, k -> {
                        ObjectNode body = JSON.createObjectNode();
                        body.putArray("elements");
                        if (defaults != null && defaults.isObject()) {
                            body.set("default", defaults);
                        }
                        return body;
                    });
                    folders.put(key, project + "/" + operation);
                    ((ArrayNode) request.get("elements")).add(element);
                    replayed++;
                }
            }
        }
        List<Path> written = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, ObjectNode> entry : requests.entrySet()) {
            Path folder = inbox.resolve(folders.get(entry.getKey()));
            Files.createDirectories(folder);
            String name = FILE_PREFIX + STAMP.format(clock.instant()) + "-" + (++n) + ".json";
            Path partial = folder.resolve("." + name + ".partial");
            Files.writeString(partial, JSON.writeValueAsString(entry.getValue()), StandardCharsets.UTF_8);
            written.add(Files.move(partial, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE));
        }
        return new Summary(replayed, needsFix, skipped, written);
    }

    private static JsonNode parse(String line, Path file, long number) throws IOException {
        try {
            JsonNode letter = JSON.readTree(line);
            if (!letter.isObject() || !letter.has("operation") || !letter.has("projectid")) {
                throw new IOException(file + " line " + number + " is not a dead letter of dialer-bridge");
            }
            return letter;
        } catch (JacksonException e) {
            throw new IOException(file + " line " + number + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
