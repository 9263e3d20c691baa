package io.dialerbridge.dialer.vcc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class AddRecordsJournalTest {

    @Test
    void an_entry_written_after_a_torn_last_line_survives_the_next_restart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state/journal.ndjson");
        new AddRecordsJournal(file, Clock.systemUTC()).sending("a:1");
        Files.writeString(file, "{\"id\":\"a:2\",\"sta", StandardOpenOption.APPEND);

        AddRecordsJournal afterCrash = new AddRecordsJournal(file, Clock.systemUTC());
        afterCrash.created("a:1", 42L);

        AddRecordsJournal afterRestart = new AddRecordsJournal(file, Clock.systemUTC());
        assertThat(afterRestart.get("a:1")).isEqualTo(new AddRecordsJournal.Entry(AddRecordsJournal.State.CREATED, 42L));
        assertThat(afterRestart.get("a:2")).isNull();
        assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"id\":\"a:1\""));
    }
}
