package io.dialerbridge.output;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The dead-letter output: one JSON object per line in
 * {@code <dir>/<projectid>-<operation>-<yyyy-MM-dd>.ndjson}, holding the element as it arrived (and
 * the raw line for CSV and NDJSON), its source, project, operation, error, HTTP status, attempts and
 * time. Each write is forced to disk before it returns, so a source may be acknowledged after it.
 * {@code io.dialerbridge.output.KafkaDeadLetters} is the other output ({@code dead-letter.target=kafka}):
 * the same envelope, to a topic.
 */
public class DeadLetters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Clock clock;

    public DeadLetters(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    /** Writes the rejected elements durably; returns how many were written. */
    public synchronized int write(List<Element> rejected) throws IOException {
        if (rejected.isEmpty()) {
            return 0;
        }
        Files.createDirectories(directory);
        Element first = rejected.get(0);
        Path file = directory.resolve(Objects.requireNonNullElse(first.projectId(), "no-project") + "-" + first.operation().id() + "-"
                + LocalDate.now(clock.withZone(ZoneOffset.UTC)) + ".ndjson");
        StringBuilder lines = new StringBuilder();
        for (Element element : rejected) {
            if (!Objects.equals(element.projectId(), first.projectId()) || element.operation() != first.operation()) {
                write(List.of(element));
                continue;
            }
            lines.append(JSON.writeValueAsString(toJson(element))).append('\n');
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        }
        return rejected.size();
    }

    public int write(Element rejected) throws IOException {
        return write(List.of(rejected));
    }

    /** The envelope of one dead letter, the same for every output. */
    public ObjectNode toJson(Element element) {
        Rejection why = element.rejection();
        ObjectNode letter = JSON.createObjectNode();
        letter.put("id", element.id());
        letter.put("time", clock.instant().toString());
        letter.put("projectid", element.projectId());
        letter.put("operation", element.operation().id());
        letter.set("source", JSON.valueToTree(element.source().asMap()));
        letter.put("error", why.error());
        if (why.apiErrorCode() != null) {
            letter.put("errorCode", why.apiErrorCode());
        } else {
            letter.putNull("errorCode");
        }
        letter.put("errorMessage", why.message());
        letter.put("httpStatus", why.httpStatus());
        letter.put("attempts", why.attempts());
        letter.set("element", element.body());
        if (element.defaults() != null) {
            letter.set("default", element.defaults());
        }
        if (element.raw() != null) {
            letter.put("raw", element.raw());
        }
        if (element.rawBytes() != null) {
            letter.put("rawBase64", Base64.getEncoder().encodeToString(element.rawBytes()));
        }
        return letter;
    }
}
