package io.dialerbridge.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fingerprint is trusted only while nothing else can have changed the record in the dialer: not after a
 * refusal whose request may have been applied (a timeout, a cut connection), and not after the record was sent
 * with its project in full mode. Either way the next snapshot sends the record even when its row is back at the
 * values the dialer last accepted, as a full send would.
 */
class StaleFingerprintTest {

    @TempDir
    Path home;

    private final RecordFingerprint fingerprints = new RecordFingerprint(ProjectDefaults.fromProperties(Map.of()));

    private SyncState sync(String mode) {
        return new SyncState(home.resolve("state"), home.resolve("reports"), mode, Map.of(), fingerprints,
                (element, count) -> { }, Clock.systemUTC());
    }

    private static Element element(String file, long line, String numberid, String city) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("numberid", numberid);
        body.putObject("form").put("city", city);
        return new Element(file + ":" + line, "22", Operation.MODIFY_RECORDS, body, body.toString(),
                SourceRef.fileLine(file, line), null, null);
    }

    /** The numberids of a snapshot's rows that need sending. */
    private List<String> changed(SyncState sync, String file, List<Element> rows) throws Exception {
        SyncState.Snapshot snapshot = sync.snapshot(null, file, "22", Operation.MODIFY_RECORDS, new RunReport());
        List<String> passed = new ArrayList<>();
        Iterator<Element> changed = snapshot.changedOnly(snapshot.reading(rows.iterator()));
        changed.forEachRemaining(e -> passed.add(e.body().get("numberid").asText()));
        ((java.io.Closeable) changed).close();
        return passed;
    }

    @Test
    void a_record_whose_later_change_was_refused_is_sent_again_when_its_row_returns_to_the_accepted_values() throws Exception {
        SyncState sync = sync("incremental");
        Element a = element("n1.ndjson", 1, "10", "A");
        Element other = element("n1.ndjson", 2, "11", "Same");
        assertThat(changed(sync, "n1.ndjson", List.of(a, other))).containsExactly("10", "11");
        sync.recorded(List.of(a, other), List.of());

        // city B is sent; the answer is lost after the dialer may have applied it: dead-lettered
        Element b = element("n2.ndjson", 1, "10", "B");
        assertThat(changed(sync, "n2.ndjson", List.of(b, element("n2.ndjson", 2, "11", "Same")))).containsExactly("10");
        Element refused = b.rejected(new Rejection("error.dialer_unreachable", null, "the connection was closed", 0, 1));
        sync.recorded(List.of(), List.of(refused));

        // the next snapshot says A again: sent, since the dialer may hold B; the untouched record stays unchanged
        assertThat(changed(sync, "n3.ndjson", List.of(element("n3.ndjson", 1, "10", "A"), element("n3.ndjson", 2, "11", "Same"))))
                .containsExactly("10");
        sync.close();
    }

    @Test
    void records_sent_in_full_mode_make_the_next_incremental_snapshot_go_whole() throws Exception {
        SyncState incremental = sync("incremental");
        List<Element> night = List.of(element("d.ndjson", 1, "20", "A"), element("d.ndjson", 2, "21", "B"));
        assertThat(changed(incremental, "d.ndjson", night)).containsExactly("20", "21");
        incremental.recorded(night, List.of());
        incremental.close();
        assertThat(changed(incremental, "d.ndjson", night)).as("nothing changed yet").isEmpty();
        incremental.close();

        // a correction sent with the project in full mode (SYNC_MODE=full): accepted, no fingerprint taken
        SyncState full = sync("full");
        full.recorded(List.of(element("corr.ndjson", 1, "20", "Z")), List.of());
        assertThat(SyncState.sentInFullMode(home.resolve("state"), "22", Operation.MODIFY_RECORDS)).isTrue();

        // the next incremental snapshot forgets the fingerprints it cannot trust and is sent whole, once
        assertThat(changed(incremental, "d.ndjson", night)).containsExactly("20", "21");
        incremental.recorded(night, List.of());
        assertThat(SyncState.sentInFullMode(home.resolve("state"), "22", Operation.MODIFY_RECORDS)).isFalse();
        assertThat(changed(incremental, "d.ndjson", night)).isEmpty();
        incremental.close();
    }

    @Test
    void a_replayed_file_is_a_few_letters_not_a_snapshot_so_nothing_is_removed() throws Exception {
        SyncState sync = sync("incremental");
        List<Element> night = List.of(element("d.ndjson", 1, "20", "A"), element("d.ndjson", 2, "21", "B"),
                element("d.ndjson", 3, "22", "C"));
        changed(sync, "d.ndjson", night);
        sync.recorded(night, List.of());

        RunReport report = new RunReport();
        SyncState.Snapshot replay = sync.snapshot(null, "22/modify-records/replay-20261207-101010-1.json", "22",
                Operation.MODIFY_RECORDS, report);
        Iterator<Element> changed = replay.changedOnly(replay.reading(List.of(element("replay.json", 1, "21", "B2")).iterator()));
        changed.forEachRemaining(e -> { });
        ((java.io.Closeable) changed).close();
        assertThat(report.toString()).doesNotContain("removed");
        assertThat(home.resolve("reports")).doesNotExist();
        // the records the replay did not name keep their fingerprints: the next night sends nothing unchanged
        assertThat(changed(sync, "d.ndjson", night)).isEmpty();
        sync.close();
    }

    @Test
    void after_a_run_stopped_with_elements_out_the_next_snapshot_of_another_file_goes_whole() throws Exception {
        SyncState before = sync("incremental");
        List<Element> night = List.of(element("n1.ndjson", 1, "10", "A"), element("n1.ndjson", 2, "11", "Same"));
        changed(before, "n1.ndjson", night);
        before.recorded(night, List.of());
        before.finished("n1.ndjson");
        // the next night changes record 10; its batch goes out, and the process is killed before the answer
        assertThat(changed(before, "n2.ndjson", List.of(element("n2.ndjson", 1, "10", "B"), element("n2.ndjson", 2, "11", "Same"))))
                .containsExactly("10");
        before.close();

        // a new process: the file after it says A again, which the fingerprint says the dialer holds, but the
        // killed run may have changed it to B
        SyncState after = sync("incremental");
        List<Element> third = List.of(element("n3.ndjson", 1, "10", "A"), element("n3.ndjson", 2, "11", "Same"));
        assertThat(changed(after, "n3.ndjson", third)).containsExactly("10", "11");
        after.recorded(third, List.of());
        after.finished("n3.ndjson");
        assertThat(changed(after, "n3.ndjson", third)).as("once").isEmpty();
        after.close();
    }

    @Test
    void the_stopped_file_itself_resumed_is_not_sent_whole() throws Exception {
        SyncState before = sync("incremental");
        List<Element> night = List.of(element("n1.ndjson", 1, "10", "A"), element("n1.ndjson", 2, "11", "Same"));
        changed(before, "n1.ndjson", night);
        before.recorded(night, List.of());
        before.finished("n1.ndjson");
        List<Element> second = List.of(element("n2.ndjson", 1, "10", "B"), element("n2.ndjson", 2, "11", "Same"));
        assertThat(changed(before, "n2.ndjson", second)).containsExactly("10");
        before.close();

        // the same file resumed by the next process: its element not accounted for is sent again, the rest is not
        SyncState after = sync("incremental");
        assertThat(changed(after, "n2.ndjson", second)).containsExactly("10");
        after.close();
    }

    @Test
    void a_full_mode_send_without_any_sync_state_leaves_no_marker() throws Exception {
        SyncState full = sync("full");
        full.recorded(List.of(element("corr.ndjson", 1, "20", "Z")), List.of());
        assertThat(home.resolve("state").resolve(SyncState.SENT_IN_FULL_MODE)).doesNotExist();
        assertThat(Files.exists(home.resolve("state"))).isFalse();
    }
}
