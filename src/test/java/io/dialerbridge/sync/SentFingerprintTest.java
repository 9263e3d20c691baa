package io.dialerbridge.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fingerprint worked out when an element is read is the one stored once the dialer accepts it, and only
 * for the very values read: an element recorded under the same id with other values gets the fingerprint of
 * the values recorded (the store never says the dialer holds values it was not sent).
 */
class SentFingerprintTest {

    @TempDir
    Path home;

    private final RecordFingerprint fingerprints = new RecordFingerprint(ProjectDefaults.fromProperties(Map.of()));

    private SyncState sync() {
        return new SyncState(home.resolve("state"), home.resolve("reports"), "incremental", Map.of(), fingerprints,
                (element, count) -> { }, Clock.systemUTC());
    }

    private static Element element(long line, String numberid, String city) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("numberid", numberid);
        body.putObject("form").put("city", city);
        return new Element("night.ndjson:" + line, "22", Operation.MODIFY_RECORDS, body, body.toString(),
                SourceRef.fileLine("night.ndjson", line), null, null);
    }

    /** The elements of a snapshot that need sending. */
    private List<Element> changed(SyncState sync, List<Element> rows) throws Exception {
        SyncState.Snapshot snapshot = sync.snapshot(null, "night.ndjson", "22", Operation.MODIFY_RECORDS, new RunReport());
        List<Element> passed = new ArrayList<>();
        Iterator<Element> changed = snapshot.changedOnly(snapshot.reading(rows.iterator()));
        changed.forEachRemaining(passed::add);
        ((java.io.Closeable) changed).close();
        return passed;
    }

    @Test
    void an_accepted_element_s_fingerprint_is_of_the_values_it_was_recorded_with() throws Exception {
        SyncState sync = sync();
        Element read = element(1, "7", "Szeged");
        Element other = element(2, "8", "Pécs");
        assertThat(changed(sync, List.of(read, other))).containsExactly(read, other);
        // record 7 as read; record 8 under its id but with other values than were read
        Element otherValues = element(2, "8", "Győr");
        sync.recorded(List.of(read, otherValues), List.of());

        try (FingerprintStore store = FingerprintStore.open(home.resolve("state"))) {
            FingerprintStore.Scope scope = store.scope("22", "modify-records");
            assertThat(scope.accepted("n:7")).isEqualTo(fingerprints.of(read));
            assertThat(scope.accepted("n:8")).isEqualTo(fingerprints.of(otherValues)).isNotEqualTo(fingerprints.of(other));
        }
        // the next snapshot: 7 unchanged; 8 as read is sent again, 8 as recorded would not be
        assertThat(changed(sync, List.of(element(1, "7", "Szeged"), element(2, "8", "Pécs"))))
                .extracting(e -> e.body().get("numberid").asText()).containsExactly("8");
        assertThat(changed(sync, List.of(element(2, "8", "Győr")))).isEmpty();
        sync.close();
    }

    @Test
    void past_its_bound_the_table_is_emptied_and_every_fingerprint_is_still_of_the_values_recorded() throws Exception {
        int bound = SyncState.sentFingerprintsBound;
        SyncState.sentFingerprintsBound = 3;
        try {
            SyncState sync = sync();
            List<Element> rows = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                rows.add(element(i, String.valueOf(100 + i), "City " + i));
            }
            List<Element> sent = changed(sync, rows);
            assertThat(sent).hasSize(10);
            sync.recorded(sent, List.of());
            try (FingerprintStore store = FingerprintStore.open(home.resolve("state"))) {
                FingerprintStore.Scope scope = store.scope("22", "modify-records");
                for (Element row : rows) {
                    assertThat(scope.accepted("n:" + row.body().get("numberid").asText())).isEqualTo(fingerprints.of(row));
                }
            }
            assertThat(changed(sync, rows)).as("the same snapshot again: nothing to send").isEmpty();
            sync.close();
        } finally {
            SyncState.sentFingerprintsBound = bound;
        }
    }
}
