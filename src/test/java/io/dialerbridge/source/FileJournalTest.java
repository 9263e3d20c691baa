package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FileJournalTest {

    @TempDir
    Path state;

    @Test
    void says_which_bytes_of_the_file_it_is_about() throws Exception {
        try (FileJournal journal = FileJournal.open(state, "f", true)) {
            assertThat(journal.prefix()).isNull();
            journal.covers(new FileJournal.Prefix(120, "0a1b2c3d-120"));
            journal.accepted(List.of(at(1)));
        }
        try (FileJournal reopened = FileJournal.open(state, "f", true)) {
            assertThat(reopened.prefix()).isEqualTo(new FileJournal.Prefix(120, "0a1b2c3d-120"));
            assertThat(reopened.isAccounted(1)).isTrue();
        }
    }

    @Test
    void replays_what_was_accounted_for_before_a_restart() throws Exception {
        try (FileJournal journal = FileJournal.open(state, "f", true)) {
            journal.accepted(List.of(at(1), at(2)));
            journal.deadLettered("error.bad email", List.of(at(3)));
        }

        try (FileJournal reopened = FileJournal.open(state, "f", true)) {
            assertThat(List.of(1, 2, 3, 4)).map(reopened::isAccounted).containsExactly(true, true, true, false);
            assertThat(reopened.replayed().accepted()).isEqualTo(2);
            assertThat(reopened.replayed().byError()).isEqualTo(Map.of("error.bad_email", 1L));
        }
    }

    @Test
    void replay_ignores_a_torn_last_line() throws Exception {
        // the crash cut "A 13 14\n" short: line 1 must not count as accounted for
        Files.writeString(state.resolve("f.journal"), "A 11 12\nA 1", StandardCharsets.UTF_8);

        try (FileJournal reopened = FileJournal.open(state, "f", true)) {
            assertThat(List.of(11, 12, 1, 13, 14)).map(reopened::isAccounted)
                    .containsExactly(true, true, false, false, false);
            assertThat(reopened.replayed().elements()).isEqualTo(2);
        }
    }

    @Test
    void appends_after_reopening_a_torn_file_start_on_a_line_of_their_own() throws Exception {
        Files.writeString(state.resolve("f.journal"), "A 11 12\nD error.rec", StandardCharsets.UTF_8);

        try (FileJournal reopened = FileJournal.open(state, "f", true)) {
            reopened.accepted(List.of(at(13)));
        }

        assertThat(Files.readAllLines(state.resolve("f.journal"))).containsExactly("A 11 12", "A 13");
        try (FileJournal again = FileJournal.open(state, "f", true)) {
            assertThat(List.of(11, 12, 13)).map(again::isAccounted).containsOnly(true);
            assertThat(again.replayed().accepted()).isEqualTo(3);
            assertThat(again.replayed().deadLettered()).isZero();
        }
    }

    @Test
    void delete_removes_the_journal() throws Exception {
        FileJournal journal = FileJournal.open(state, "f", false);
        journal.accepted(List.of(at(1)));
        journal.delete();

        assertThat(state.resolve("f.journal")).doesNotExist();
    }

    private static Element at(long line) {
        return new Element("k:" + line, "22", Operation.MODIFY_RECORDS, null, null, SourceRef.fileLine("f", line), null, null);
    }
}
