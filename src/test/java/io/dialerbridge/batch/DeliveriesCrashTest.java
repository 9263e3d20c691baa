package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.output.FileDeadLetters;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state a crash leaves behind in the two windows of a file's life that its journal alone cannot
 * close, and what the next start makes of it (real files, the real journal and dead-letter output;
 * a "crash" is dropping the books without finishing them):
 * a kill after the letters of a batch are written but before the journal notes them must not write
 * them again; a kill after the file is finished but before it leaves the inbox must not send it again.
 */
class DeliveriesCrashTest {

    @TempDir
    Path home;

    private Deliveries books() {
        return new Deliveries(new FileDeadLetters(home.resolve("dead-letter"), Clock.systemUTC()), home.resolve("state"),
                true, 2, Duration.ofMillis(1), Clock.systemUTC());
    }

    private File drop(String content) throws Exception {
        Path file = home.resolve("inbox/22/modify-records/f.ndjson");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file.toFile();
    }

    private static List<Element> elements(Iterator<Iterator<Work>> waves) {
        List<Element> all = new ArrayList<>();
        waves.forEachRemaining(wave -> wave.forEachRemaining(work -> {
            if (work instanceof Batch batch) {
                all.addAll(batch.elements());
            } else if (work instanceof Rejected rejected) {
                all.add(rejected.element());
            }
        }));
        return all;
    }

    private long letters() throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("dead-letter"))) {
            long count = 0;
            for (Path file : files.toList()) {
                count += Files.readAllLines(file).size();
            }
            return count;
        }
    }

    @Test
    void a_journal_written_by_the_previous_version_is_taken_over_and_nothing_it_accounted_for_is_sent_again() throws Exception {
        File file = drop("{\"numberid\":\"1\"}\n{\"numberid\":\"2\"}\n{\"numberid\":\"3\"}\n{\"numberid\":\"4\"}\n");
        String sourceName = "22/modify-records/f.ndjson";
        // what the previous version left when it stopped mid-file: a journal named by the file's content and name
        Path legacy = home.resolve("state").resolve(io.dialerbridge.source.ElementReader.fileKey(file.toPath()) + "-"
                + Integer.toHexString(sourceName.hashCode()) + ".journal");
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, "A 1 2\n", StandardCharsets.UTF_8);

        List<Element> rest = elements(books().work(file, sourceName, "22", "modify-records", file.length()));

        assertThat(rest).extracting(element -> element.source().line()).containsExactly(3L, 4L);
        assertThat(legacy).doesNotExist();
    }

    @Test
    void letters_written_before_a_crash_are_found_and_not_written_again() throws Exception {
        File file = drop("{\"numberid\":\"1\"}\n{\"numberid\":\"2\"}\n{\"numberid\":\"3\"}\n{\"numberid\":\"4\"}\n");
        Deliveries before = books();
        List<Element> first = elements(before.work(file, "22/modify-records/f.ndjson", "22", "modify-records"));
        assertThat(first).hasSize(4);
        // lines 1 and 2 are refused: their letters are written, then the bridge is killed before the journal notes them
        Rejection why = new Rejection("error.record_in_call", 1, "in a call", 200, 3);
        BatchOutcome outcome = new BatchOutcome(List.of(), List.of(first.get(0).rejected(why), first.get(1).rejected(why)));
        before.deadLettering(outcome);
        new FileDeadLetters(home.resolve("dead-letter"), Clock.systemUTC()).write(outcome.rejected());
        // and lines 3 and 4 were being refused too, but the kill came before their letters were written
        before.deadLettering(new BatchOutcome(List.of(), List.of(first.get(2).rejected(why), first.get(3).rejected(why))));

        Deliveries after = books();
        List<Element> resumed = elements(after.work(file, "22/modify-records/f.ndjson", "22", "modify-records"));

        assertThat(resumed).as("only the lines whose letters were not written are sent again")
                .extracting(e -> e.source().line()).containsExactly(3L, 4L);
        after.accounted(new BatchOutcome(resumed, List.of()));
        RunReport report = after.finishSource("22/modify-records/f.ndjson");
        assertThat(report.deadLettered()).as("the letters found count as dead-lettered, once").isEqualTo(2);
        assertThat(report.accepted()).isEqualTo(2);
        assertThat(letters()).as("no letter written twice").isEqualTo(2);
    }

    @Test
    void a_file_finished_before_a_crash_is_finished_again_without_sending_anything() throws Exception {
        File file = drop("{\"numberid\":\"1\"}\n{\"numberid\":\"2\"}\n{\"numberid\":\"3\"}\n");
        Deliveries before = books();
        List<Element> all = elements(before.work(file, "22/modify-records/f.ndjson", "22", "modify-records"));
        before.accounted(new BatchOutcome(all, List.of()));
        before.finishSource("22/modify-records/f.ndjson");
        // killed here: the file is still in the inbox

        Deliveries after = books();
        assertThat(after.sweepFinishedJournals(home.resolve("inbox"))).as("a journal whose file is in the inbox stays").isZero();
        List<Element> again = elements(after.work(file, "22/modify-records/f.ndjson", "22", "modify-records"));
        assertThat(again).as("nothing is sent again").isEmpty();
        assertThat(after.finishSource("22/modify-records/f.ndjson").accepted()).as("the report is the first run's").isEqualTo(3);
    }

    @Test
    void the_journal_of_a_file_that_left_the_inbox_before_a_crash_is_swept_and_a_new_drop_is_sent() throws Exception {
        File file = drop("{\"numberid\":\"1\"}\n{\"numberid\":\"2\"}\n");
        Deliveries before = books();
        List<Element> all = elements(before.work(file, "22/modify-records/f.ndjson", "22", "modify-records"));
        before.accounted(new BatchOutcome(all, List.of()));
        before.finishSource("22/modify-records/f.ndjson");
        Files.move(file.toPath(), home.resolve("f.ndjson")); // moved to done/, then killed before the journal was deleted

        assertThat(books().sweepFinishedJournals(home.resolve("inbox"))).isEqualTo(1);
        try (Stream<Path> state = Files.list(home.resolve("state"))) {
            assertThat(state).isEmpty();
        }
        File again = drop("{\"numberid\":\"1\"}\n{\"numberid\":\"2\"}\n");
        assertThat(elements(books().work(again, "22/modify-records/f.ndjson", "22", "modify-records")))
                .as("the same bytes dropped again are a new file").hasSize(2);
    }

    @Test
    void released_files_leave_no_journal() throws Exception {
        File file = drop("{\"numberid\":\"1\"}\n");
        Deliveries books = books();
        List<Element> all = elements(books.work(file, "22/modify-records/f.ndjson", "22", "modify-records"));
        books.accounted(new BatchOutcome(all, List.of()));
        books.finishSource("22/modify-records/f.ndjson");
        books.release("22/modify-records/f.ndjson");
        try (Stream<Path> state = Files.list(home.resolve("state"))) {
            assertThat(state).isEmpty();
        }
    }
}
