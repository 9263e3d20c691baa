package io.dialerbridge.source;

import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxTest {

    @TempDir
    Path home;

    private final String name = "22/modify-records/a.ndjson";

    private Path dropped(String content) throws IOException {
        Path file = home.resolve("inbox").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void a_file_that_changed_while_it_was_read_goes_to_failed_with_its_report_and_the_reason() throws IOException {
        Inbox inbox = new Inbox(home, Clock.systemUTC());
        Path file = dropped("{\"numberid\":\"1\"}\n{\"numberid\":\"2\"}\n");

        Path target = inbox.done(file.toFile(), name, new RunReport(), 17);

        assertThat(target).isEqualTo(home.resolve("failed").resolve(name));
        assertThat(home.resolve("failed").resolve(name + ".report.json")).exists();
        assertThat(Files.readString(home.resolve("failed").resolve(name + ".reason.txt")))
                .contains("grew while it was read", "only the first 17 bytes, lines 1 to 1, were read",
                        "The 17 bytes appended after byte 17 were not read");
    }

    /**
     * Found by ChaosTest: a kill -9 after the file was moved to done/ and before its report was written
     * left the file in done/ without a report, its journal already gone. The report now comes first: a
     * move that fails (here: the file on another file system, so the atomic move is refused) stands for
     * a kill between the two, and leaves the file where it was, to be finished again, with its report.
     */
    @Test
    void the_report_is_written_before_the_file_leaves_the_inbox() throws IOException {
        Path otherFileSystem = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(otherFileSystem) && Files.isWritable(otherFileSystem));
        Inbox inbox = new Inbox(home, Clock.systemUTC());
        Path file = Files.writeString(Files.createTempFile(otherFileSystem, "inbox", ".ndjson"), "{\"numberid\":\"1\"}\n");
        try {
            assertThatThrownBy(() -> inbox.done(file.toFile(), name, new RunReport(), Files.size(file)))
                    .isInstanceOf(IOException.class);

            assertThat(home.resolve("done").resolve(name + ".report.json")).exists();
            assertThat(file).exists();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void a_file_that_disappeared_still_gets_its_reason() throws IOException {
        Inbox inbox = new Inbox(home, Clock.systemUTC());
        Path file = dropped("x");
        Files.delete(file);

        inbox.failed(file.toFile(), name, new ElementReader.UnreadableFileException("a.ndjson disappeared before it was read"));

        assertThat(Files.readString(home.resolve("failed").resolve(name + ".reason.txt"))).contains("disappeared");
    }

    @Test
    void only_the_last_of_max_attempts_quarantines_a_file() throws IOException {
        Inbox inbox = new Inbox(home, Clock.systemUTC());
        Path file = dropped("x");

        inbox.attemptFailed(file.toFile(), name, new IllegalStateException("boom"), 2);
        assertThat(file).exists();
        inbox.attemptFailed(file.toFile(), name, new IllegalStateException("boom"), 2);

        assertThat(file).doesNotExist();
        assertThat(Files.readString(home.resolve("failed").resolve(name + ".reason.txt")))
                .contains("gave up after 2 attempts", "boom");
    }

    @Test
    void the_waiting_count_holds_exactly_the_inputs_the_route_takes_and_gives_a_reason_for_every_other_file() {
        // the status page's waiting list and dialer_bridge_inbox_files count Inbox.isInput: the route reads exactly these
        assertThat(Inbox.isInput("22/modify-records/UP.CSV")).isTrue();
        assertThat(Inbox.isInput("22/modify-records/a.Json")).isTrue();
        assertThat(Inbox.whyNotAnInput("22/modify-records/UP.CSV")).isNull();
        // the route moves these to failed/ with the reason: not counted as waiting
        assertThat(Inbox.isInput("22/modify-records/note.txt")).isFalse();
        assertThat(Inbox.whyNotAnInput("22/modify-records/note.txt")).startsWith("unsupported file type: note.txt");
        assertThat(Inbox.isInput("22/modify-records/sub/x.csv")).isFalse();
        assertThat(Inbox.whyNotAnInput("22/modify-records/sub/x.csv")).contains("not in an inbox/<projectid>/<operation>/ folder");
        assertThat(Inbox.whyNotAnInput("top.csv")).contains("not in an inbox/<projectid>/<operation>/ folder");
        assertThat(Inbox.isInput("22/modify-records/a\\b.csv")).isFalse();
        assertThat(Inbox.whyNotAnInput("22/modify-records/a\\b.csv")).contains("backslash");
        // left alone on purpose (partial uploads): neither counted nor moved
        for (String partial : new String[] {"22/modify-records/.a.csv.partial", "22/modify-records/a.csv.part",
                "22/modify-records/a.csv.TMP", "22/modify-records/a.csv~", "22/modify-records/a.csv.crdownload"}) {
            assertThat(Inbox.isLeftAlone(partial)).as(partial).isTrue();
            assertThat(Inbox.isInput(partial)).as(partial).isFalse();
        }
    }
}
