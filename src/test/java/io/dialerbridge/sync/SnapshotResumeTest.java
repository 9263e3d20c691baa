package io.dialerbridge.sync;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.batch.Work;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.output.FileDeadLetters;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot resumed after a crash that fell after the file was read to its end (so its removed records
 * were listed) but before it was finished: the resumed run keeps the snapshot's identity, lists the same
 * removed records, and none of the records accounted for before the crash (real files, the real journal
 * and state store; a "crash" is dropping the books and the state without finishing them).
 */
class SnapshotResumeTest {

    @TempDir
    Path home;

    private SyncState sync() {
        return new SyncState(home.resolve("state"), home.resolve("reports"), "incremental", Map.of(),
                new RecordFingerprint(ProjectDefaults.fromProperties(Map.of())), (element, count) -> { }, Clock.systemUTC());
    }

    private Deliveries books(SyncState sync) {
        return new Deliveries(new FileDeadLetters(home.resolve("dead-letter"), Clock.systemUTC()), home.resolve("state"),
                true, 2, Duration.ofMillis(1), Clock.systemUTC()).syncing(sync);
    }

    private File drop(String name, int... numberids) throws Exception {
        Path file = home.resolve("inbox/22/modify-records/" + name);
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder();
        for (int numberid : numberids) {
            text.append("{\"numberid\":\"").append(numberid).append("\",\"form\":{\"age\":\"").append(numberid).append("\"}}\n");
        }
        Files.writeString(file, text);
        return file.toFile();
    }

    /** Every batch of the file, read to its end. */
    private static List<Element> read(Iterator<Iterator<Work>> waves) {
        List<Element> all = new ArrayList<>();
        waves.forEachRemaining(wave -> wave.forEachRemaining(work -> all.addAll(((Batch) work).elements())));
        return all;
    }

    /** The dialer accepted the elements (as route record-outcome records them). */
    private static void accepted(SyncState sync, Deliveries books, List<Element> elements) throws Exception {
        sync.recorded(elements, List.of());
        books.accounted(new BatchOutcome(elements, List.of()));
    }

    @Test
    void a_snapshot_resumed_after_it_was_read_whole_lists_only_the_records_it_does_not_name() throws Exception {
        SyncState first = sync();
        Deliveries night1 = books(first);
        File one = drop("night1.ndjson", 1, 2, 3, 4, 5, 6);
        List<Element> all = read(night1.work(one, "night1.ndjson", "22", "modify-records"));
        accepted(first, night1, all);
        assertThat(night1.finishSource("night1.ndjson").accepted()).isEqualTo(6);
        first.close();

        // night 2 names 1..5 (6 left) and each of them changed; read to its end, then killed with 2 accepted
        SyncState before = sync();
        Deliveries crashed = books(before);
        File two = drop("night2.ndjson", 1, 2, 3, 4, 5);
        Files.writeString(two.toPath(), Files.readString(two.toPath()).replace("\"age\":\"", "\"age\":\"x"));
        List<Element> sent = read(crashed.work(two, "night2.ndjson", "22", "modify-records"));
        assertThat(sent).hasSize(5);
        accepted(before, crashed, sent.subList(0, 2));
        before.close(); // the crash: the state as committed, the journal as written, no report

        SyncState after = sync();
        Deliveries resumed = books(after);
        List<Element> again = read(resumed.work(two, "night2.ndjson", "22", "modify-records"));
        assertThat(again).as("the records not accounted for before the crash").extracting(e -> e.source().line())
                .containsExactly(3L, 4L, 5L);
        accepted(after, resumed, again);
        RunReport report = resumed.finishSource("night2.ndjson");
        after.close();

        assertThat(report.accepted()).isEqualTo(5);
        assertThat(report.removed()).as("only the record the snapshot no longer names").isEqualTo(1);
        assertThat(Files.readAllLines(Path.of((String) report.asMap().get("removedFile")))).containsExactly("n:6");
        try (FingerprintStore store = FingerprintStore.open(home.resolve("state"))) {
            FingerprintStore.Scope scope = store.scope("22", "modify-records");
            assertThat(scope.size()).as("records 1 to 5 keep their fingerprints").isEqualTo(5);
        }
    }
}
