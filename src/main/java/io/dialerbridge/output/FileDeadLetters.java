package io.dialerbridge.output;

import io.dialerbridge.element.Element;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.List;
import java.util.Objects;

/**
 * The dead letters as files ({@code dead-letter.target=file}): one {@link DeadLetterEnvelope} per line in
 * {@code <dir>/<projectid>-<operation>-<yyyy-MM-dd>.ndjson} (the project id and operation made safe by
 * {@link FileNamePart}: a letter never lands outside the directory). Each write is forced to disk before it
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
        // the name's parts made safe (FileNamePart): a letter is never written outside the directory
        Path file = FileNamePart.in(directory, prefix(first.projectId(), first.operation().id())
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

    /** Reads the files of this project and operation (every day's) for letters with these ids. */
    @Override
    public synchronized Set<String> alreadyWritten(String projectId, String operation, Set<String> ids) throws IOException {
        Set<String> found = new HashSet<>();
        if (ids.isEmpty() || !Files.isDirectory(directory)) {
            return found;
        }
        String prefix = prefix(projectId, operation);
        List<Path> files;
        try (Stream<Path> all = Files.list(directory)) {
            files = all.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".ndjson")).toList();
        }
        for (Path file : files) {
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                lines.map(FileDeadLetters::idOf).filter(ids::contains).forEach(found::add);
            }
        }
        return found;
    }

    /** {@code <projectid>-<operation>-}, each part made safe to be part of a file name. */
    private static String prefix(String projectId, String operation) {
        return FileNamePart.of(projectId, "no-project") + "-" + FileNamePart.of(operation, null) + "-";
    }

    private static String idOf(String letter) {
        try {
            return JSON.readTree(letter).path("id").asText("");
        } catch (IOException torn) {
            return ""; // a torn last line: no letter
        }
    }
}
