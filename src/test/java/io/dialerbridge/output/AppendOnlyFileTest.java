package io.dialerbridge.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AppendOnlyFileTest {

    @TempDir
    Path dir;

    @Test
    void appends_whole_lines_creating_the_file_and_its_folders() throws Exception {
        Path file = dir.resolve("a/b/letters.ndjson");
        try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
            out.append("one");
            out.append(List.of("two", "three"));
        }
        try (AppendOnlyFile out = AppendOnlyFile.open(file, false)) {
            out.append("four");
            assertThat(out.lines()).containsExactly("one", "two", "three", "four");
        }
        assertThat(Files.readString(file)).isEqualTo("one\ntwo\nthree\nfour\n");
    }

    @Test
    void opening_cuts_a_torn_last_line_off() throws Exception {
        Path file = dir.resolve("torn.ndjson");
        Files.writeString(file, "{\"id\":1}\n{\"id\":2}\n{\"id\":", StandardCharsets.UTF_8);

        try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
            assertThat(out.lines()).containsExactly("{\"id\":1}", "{\"id\":2}");
            out.append("{\"id\":3}");
        }

        assertThat(Files.readAllLines(file)).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}");
    }

    @Test
    void a_file_with_only_a_torn_line_is_emptied() throws Exception {
        Path file = dir.resolve("torn.ndjson");
        Files.writeString(file, "x".repeat(10_000), StandardCharsets.UTF_8);

        try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
            assertThat(out.lines()).isEmpty();
        }
        assertThat(file).isEmptyFile();
    }

    @Test
    void a_torn_line_longer_than_a_block_is_cut_at_the_last_whole_line() throws Exception {
        Path file = dir.resolve("torn.ndjson");
        Files.writeString(file, "kept\n" + "y".repeat(9_000), StandardCharsets.UTF_8);

        try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
            out.append("next");
        }
        assertThat(Files.readString(file)).isEqualTo("kept\nnext\n");
    }
}
