package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.sync.FingerprintStore;
import io.dialerbridge.sync.RecordFingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Incremental sync and {@code kill -9}: the daemon, in a child JVM, is killed while batches are in flight,
 * so the dialer has accepted elements whose fingerprints were not written (or not yet committed). After
 * the restart every fingerprint in the store names values the dialer holds (nothing is ever marked
 * accepted that was not), and the next identical snapshot skips exactly the records with a fingerprint
 * and sends the others again: a crash only re-sends, never skips.
 */
@Timeout(240)
class SyncCrashTest extends BridgeEndToEndSupport {

    private static final int ELEMENTS = 600;

    @Override
    BridgeHarness newHarness() throws Exception {
        return BridgeHarness.withRecords(home, ELEMENTS);
    }

    private Process startDaemon(String name) throws Exception {
        Map<String, String> env = harness.childEnvironment(home);
        env.put("SYNC_MODE", "incremental");
        env.put("BATCH_MAX_ELEMENTS", "50");
        env.put("BATCH_MAX_IN_FLIGHT", "4");
        env.put("INGEST_FILE_POLL_DELAY", "100");
        env.put("INGEST_FILE_MIN_AGE", "200");
        env.put("MANAGEMENT_ENABLED", "false");
        env.put("CLUSTER_ENABLED", "false");
        return harness.startDaemon(name, env);
    }

    private long answeredBatches() throws Exception {
        return harness.requests().stream().filter(r -> r.path("method").asText().equals("PUT")
                && r.path("status").asInt() == 200).count();
    }

    @Test
    void a_kill_between_accept_and_fingerprint_only_resends() throws Exception {
        harness.faults("{\"latency\":{\"requestMs\":150,\"path\":\"/v2/projects/22/records\"}}");
        String snapshot = BridgeHarness.distinctElements(ELEMENTS);
        Process first = startDaemon("first");
        harness.drop("22", "modify-records", "night1.ndjson", snapshot);
        await("five batches answered").atMost(Duration.ofSeconds(90)).until(() -> answeredBatches() >= 5);
        first.destroyForcibly(); // SIGKILL, batches in flight
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(harness.done("22", "modify-records", "night1.ndjson.report.json")).doesNotExist();

        harness.clearFaults();
        Process second = startDaemon("second");
        try {
            JsonNode night1 = harness.awaitReport("22", "modify-records", "night1.ndjson", Duration.ofSeconds(90));
            assertThat(night1.path("elements").asLong()).isEqualTo(ELEMENTS);
            assertThat(night1.path("deadLettered").asLong()).isZero();
        } finally {
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        // every fingerprint names values the dialer holds
        RecordFingerprint fingerprints = new RecordFingerprint(ProjectDefaults.fromProperties(Map.of()));
        int known = 0;
        try (FingerprintStore store = FingerprintStore.open(home.resolve("state"))) {
            FingerprintStore.Scope scope = store.scope("22", "modify-records");
            for (int numberid = 1; numberid <= ELEMENTS; numberid++) {
                byte[] stored = scope.accepted("n:" + numberid);
                if (stored != null) {
                    known++;
                    String age = harness.record("22", numberid).path("data").path("age").asText(null);
                    assertThat(stored).as("record %d's fingerprint is of what the dialer holds (age %s)", numberid, age)
                            .isEqualTo(fingerprints.of(element(numberid, age)));
                }
            }
        }
        assertThat(known).isPositive();
        System.out.println("SyncCrashTest: records with a fingerprint after the kill and the resume: " + known + " of " + ELEMENTS);

        // the same snapshot again (sent in this JVM): the records with a fingerprint are unchanged, every other one is sent again
        Path night2 = Files.writeString(home.resolve("night2.ndjson"), snapshot);
        try (Bridge bridge = harness.startBridge(Map.of("sync.mode", "incremental"), false)) {
            io.dialerbridge.output.RunReport report = bridge.send(night2, "22", Operation.MODIFY_RECORDS);
            assertThat(report.elements()).isEqualTo(ELEMENTS);
            assertThat(report.unchanged()).isEqualTo(known);
            assertThat(report.accepted()).isEqualTo(ELEMENTS - known);
        }
        for (int numberid = 1; numberid <= ELEMENTS; numberid += 97) {
            assertThat(harness.record("22", numberid).path("data").path("age").asText()).isEqualTo("v" + numberid);
        }
    }

    private static Element element(int numberid, String age) {
        ObjectNode body = BridgeHarness.JSON.createObjectNode().put("numberid", String.valueOf(numberid));
        body.putObject("form").put("age", age);
        return new Element("x", "22", Operation.MODIFY_RECORDS, body, null, SourceRef.fileLine("x", numberid), null, null);
    }
}
