package io.dialerbridge.output;

import io.dialerbridge.element.Element;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The dead letters as files ({@code dead-letter.target=file}): one {@link DeadLetterEnvelope} per line in
 * {@code <dir>/<projectid>-<operation>-<yyyy-MM-dd>.ndjson}. Each write is forced to disk before it
 * returns.
 */
public final class FileDeadLetters implements DeadLetters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Clock clock;

    public FileDeadLetters(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public synchronized int write(List<Element> rejected) throws IOException {
        if (rejected.isEmpty()) {
            return 0;
        }
        Element first = rejected.get(0);
        Path file = directory.resolve(Objects.requireNonNullElse(first.projectId(), "no-project") + "-" + first.operation().id() + "-"
                + LocalDate.now(clock.withZone(ZoneOffset.UTC)) + ".ndjson");
        List<String> lines = new ArrayList<>(rejected.size());
        for (Element element : rejected) {
            if (!Objects.equals(element.projectId(), first.projectId()) || element.operation() != first.operation()) {
                write(List.of(element));
                continue;
            }
            lines.add(JSON.writeValueAsString(DeadLetterEnvelope.of(element, clock.instant())));
        }
        try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
            out.append(lines);
        }
        return rejected.size();
    }
}
