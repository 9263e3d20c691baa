package io.dialerbridge;

import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * `validate` of a snapshot while a daemon (a child JVM, which holds the sync state) is in the middle of sending a
 * snapshot of the same project and operation: it reads the state as last committed (a copy of the held file) and
 * counts the rows it would skip. (Testers reported "0 unchanged" here; this setup does not reproduce it.)
 */
@Timeout(120)
class ValidateBesideASendingBridgeTest {

    @TempDir
    Path home;

    @Test
    void validate_counts_the_unchanged_rows_while_a_daemon_is_sending_a_snapshot() throws Exception {
        int rows = 300;
        try (BridgeHarness harness = BridgeHarness.withRecords(home, rows)) {
            Map<String, String> env = harness.childEnvironment(home);
            env.put("SYNC_MODE", "incremental");
            env.put("BATCH_MAX_ELEMENTS", "10");
            env.put("BATCH_MAX_IN_FLIGHT", "1");
            env.put("INGEST_FILE_POLL_DELAY", "100");
            env.put("INGEST_FILE_MIN_AGE", "200");
            Process daemon = harness.startDaemon("daemon", env);
            try {
                harness.drop("22", "modify-records", "first.ndjson", snapshotText(rows, "A"));
                assertThat(harness.awaitReport("22", "modify-records", "first.ndjson").path("accepted").asInt()).isEqualTo(rows);

                harness.faults("{\"latency\":{\"requestMs\":300,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
                harness.drop("22", "modify-records", "second.ndjson", snapshotText(rows, "B"));
                await("the second snapshot is out at the dialer").atMost(Duration.ofSeconds(60))
                        .until(() -> harness.requestsTo("PUT", "/v2/projects/22/records") > 34);

                Path settings = home.resolve("validate.properties");
                Files.writeString(settings, Files.readString(Path.of("config/application.properties"))
                        + "\nbridge.home = " + home + "\nsync.mode = incremental\n");
                StringWriter out = new StringWriter();
                int exit = DialerBridge.execute(new String[]{"--config", settings.toString(), "validate", "--project", "22",
                        "--operation", "modify-records", snapshot("v.ndjson", rows, "A").toString()},
                        new PrintWriter(out, true), new PrintWriter(out, true));
                assertThat(exit).as(out.toString()).isZero();
                assertThat(Files.exists(harness.done("22", "modify-records", "second.ndjson.report.json")))
                        .as("still sending while validate ran").isFalse();
                // the state as last committed: the first snapshot's values, less the records the second one changed so far
                java.util.regex.Matcher unchanged = java.util.regex.Pattern
                        .compile("incremental sync: (\\d+) of " + rows + " elements would not be sent").matcher(out.toString());
                assertThat(unchanged.find()).as(out.toString()).isTrue();
                assertThat(Integer.parseInt(unchanged.group(1))).as(out.toString()).isBetween(rows / 2, rows);
            } finally {
                daemon.destroy();
                daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static String snapshotText(int rows, String city) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            text.append("{\"numberid\":\"").append(i).append("\",\"form\":{\"city\":\"").append(city).append(i).append("\"}}\n");
        }
        return text.toString();
    }

    /** A modify-records snapshot of records 1..rows, each with the city prefix + numberid. */
    private Path snapshot(String name, int rows, String city) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            text.append("{\"numberid\":\"").append(i).append("\",\"form\":{\"city\":\"").append(city).append(i).append("\"}}\n");
        }
        Path file = home.resolve("snapshots").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
