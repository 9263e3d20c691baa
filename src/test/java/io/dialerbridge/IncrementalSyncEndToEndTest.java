package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental sync of snapshots through the real routes and the sandbox over loopback HTTP: the second
 * snapshot sends only the changed record and the one the dialer refused the first time; the others are
 * counted unchanged; a record the snapshot no longer names is listed as removed; a file marked
 * {@code .full} is sent whole; the state survives a restart of the bridge.
 */
@Timeout(120)
class IncrementalSyncEndToEndTest {

    @TempDir
    Path home;

    @Test
    void sends_only_changed_and_earlier_refused_records_and_lists_removed_ones() throws Exception {
        try (BridgeHarness harness = BridgeHarness.withRecords(home, 10)) {
            Map<String, String> incremental = Map.of("sync.mode", "incremental");
            // the dialer refuses record 3's new city once
            harness.faults("{\"elementErrors\":[{\"field\":\"city\",\"value\":\"Nowhere\",\"error\":\"error.bad_city\",\"times\":1}]}");
            Path first = snapshot("first.ndjson", "1:Pécs", "2:Győr", "3:Nowhere", "4:Eger", "5:Vác", "6:Tata");

            RunReport one;
            long before;
            try (Bridge bridge = harness.startBridge(incremental, false)) {
                before = lastSeq(harness);
                one = bridge.send(first, "22", Operation.MODIFY_RECORDS);
            }
            assertThat(one.accepted()).isEqualTo(5);
            assertThat(one.deadLettered()).isEqualTo(1);
            assertThat(one.unchanged()).isZero();
            assertThat(sentNumberids(harness, before)).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
            assertThat(harness.city("22", 3)).isNotEqualTo("Nowhere");

            // a restart in between: the state is on disk. Record 2 changed, record 6 left the snapshot.
            Path second = snapshot("second.ndjson", "1:Pécs", "2:Szeged", "3:Nowhere", "4:Eger", "5:Vác");
            RunReport two;
            try (Bridge bridge = harness.startBridge(incremental, false)) {
                before = lastSeq(harness);
                two = bridge.send(second, "22", Operation.MODIFY_RECORDS);
                assertThat(sentNumberids(harness, before)).containsExactlyInAnyOrder("2", "3");
                assertThat(two.accepted()).isEqualTo(2);
                assertThat(two.deadLettered()).isZero();
                assertThat(two.unchanged()).isEqualTo(3);
                assertThat(two.elements()).isEqualTo(5);
                assertThat(two.retriedFromEarlierRun()).isEqualTo(1);
                assertThat(two.removed()).isEqualTo(1);
                assertThat(two.asMap()).containsEntry("unchanged", 3L);
                Path removedFile = Path.of((String) two.asMap().get("removedFile"));
                assertThat(Files.readAllLines(removedFile)).containsExactly("n:6");
                assertThat(harness.city("22", 2)).isEqualTo("Szeged");
                assertThat(harness.city("22", 3)).isEqualTo("Nowhere");

                // the same snapshot again: nothing to send
                before = lastSeq(harness);
                RunReport three = bridge.send(snapshot("third.ndjson", "1:Pécs", "2:Szeged", "3:Nowhere", "4:Eger", "5:Vác"),
                        "22", Operation.MODIFY_RECORDS);
                assertThat(three.unchanged()).isEqualTo(5);
                assertThat(sentNumberids(harness, before)).isEmpty();

                // a file marked .full is sent whole
                before = lastSeq(harness);
                RunReport full = bridge.send(snapshot("fourth.full.ndjson", "1:Pécs", "2:Szeged", "3:Nowhere", "4:Eger", "5:Vác"),
                        "22", Operation.MODIFY_RECORDS);
                assertThat(full.accepted()).isEqualTo(5);
                assertThat(full.unchanged()).isZero();
                assertThat(sentNumberids(harness, before)).hasSize(5);
            }
        }
    }

    @Test
    void sync_reset_beside_an_idle_bridge_forgets_the_state_so_the_next_snapshot_is_sent_whole() throws Exception {
        try (BridgeHarness harness = BridgeHarness.withRecords(home, 10);
             Bridge bridge = harness.startBridge(Map.of("sync.mode", "incremental"), false)) {
            bridge.send(snapshot("a.ndjson", "1:Pécs", "2:Győr"), "22", Operation.MODIFY_RECORDS);
            assertThat(bridge.send(snapshot("b.ndjson", "1:Pécs", "2:Győr"), "22", Operation.MODIFY_RECORDS).unchanged())
                    .isEqualTo(2);

            Path settings = home.resolve("reset.properties");
            Files.writeString(settings, Files.readString(Path.of("config/application.properties"))
                    + "\nbridge.home = " + home + "\nsync.mode = incremental\n");
            java.io.StringWriter out = new java.io.StringWriter();
            // validate counts what would not be sent, read-only, even while another bridge holds the state
            try (io.dialerbridge.sync.FingerprintStore held =
                         io.dialerbridge.sync.FingerprintStore.open(home.resolve("state"))) {
                int checked = DialerBridge.execute(new String[]{"--config", settings.toString(), "validate", "--project", "22",
                        "--operation", "modify-records", snapshot("v.ndjson", "1:Pécs", "2:Szeged", "3:Eger").toString()},
                        new java.io.PrintWriter(out, true), new java.io.PrintWriter(out, true));
                assertThat(checked).as(out.toString()).isZero();
                assertThat(held.scope("22", "modify-records").size()).isEqualTo(2);
            }
            assertThat(out.toString()).contains("incremental sync: 1 of 3 elements would not be sent");
            int exit = DialerBridge.execute(new String[]{"--config", settings.toString(), "sync", "reset", "--project", "22",
                    "--operation", "modify-records"}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(out, true));
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).contains("forgot 2 records");

            RunReport again = bridge.send(snapshot("c.ndjson", "1:Pécs", "2:Győr"), "22", Operation.MODIFY_RECORDS);
            assertThat(again.unchanged()).isZero();
            assertThat(again.accepted()).isEqualTo(2);
        }
    }

    /** A modify-records snapshot of "numberid:city" rows. */
    private Path snapshot(String name, String... rows) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String row : rows) {
            String[] parts = row.split(":");
            text.append("{\"numberid\":\"").append(parts[0]).append("\",\"form\":{\"city\":\"").append(parts[1]).append("\"}}\n");
        }
        Path file = home.resolve("snapshots").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    static long lastSeq(BridgeHarness harness) throws Exception {
        return harness.requests().stream().mapToLong(r -> r.path("seq").asLong()).max().orElse(0);
    }

    /** The numberids of the modify-records elements the sandbox received after request {@code after}. */
    static List<String> sentNumberids(BridgeHarness harness, long after) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode request : harness.requests()) {
            if (request.path("seq").asLong() > after && request.path("method").asText().equals("PUT")
                    && request.path("path").asText().endsWith("/projects/22/records")) {
                for (JsonNode element : BridgeHarness.JSON.readTree(request.path("body").asText()).path("elements")) {
                    ids.add(element.path("numberid").asText());
                }
            }
        }
        return ids;
    }
}
