package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dead letters, once their cause is fixed, go back through the inbox with `dialer-bridge replay`. */
@Timeout(60)
class ReplayTest extends BridgeEndToEndSupport {

    private List<Path> reportsIn(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("replay-")
                    && p.getFileName().toString().endsWith(".report.json")).toList();
        }
    }

    @Test
    void replays_the_elements_of_dead_letters_once_the_dialer_is_back() throws Exception {
        harness.startBridge(Map.of("retry.max-retries", "1"), true);
        harness.faults("{\"errors\":{\"statuses\":[502],\"path\":\"/v2/projects/22/records\"}}");
        harness.drop("22", "modify-records", "outage.ndjson", """
                {"numberid":"1","form":{"city":"Baja"}}
                {"numberid":"2","form":{"city":"Mohács"}}
                {"numberid":"3","form":
                """);
        harness.awaitReport("22", "modify-records", "outage.ndjson");
        assertThat(harness.deadLetters()).extracting(l -> l.path("error").asText())
                .containsExactlyInAnyOrder("error.dialer_unavailable", "error.dialer_unavailable", "error.malformed_json");
        harness.clearFaults();

        Path deadLetterFile;
        try (Stream<Path> files = Files.list(home.resolve("dead-letter"))) {
            deadLetterFile = files.findFirst().orElseThrow();
        }
        StringWriter out = new StringWriter();
        int exit = DialerBridge.execute(new String[]{"replay", "--inbox", home.resolve("inbox").toString(),
                deadLetterFile.toString()}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("replayed: 2, need a manual fix (no parsed element): 1");
        Path done = home.resolve("done/22/modify-records");
        await("replay report").atMost(Duration.ofSeconds(30)).until(() -> reportsIn(done).size() == 1);
        JsonNode replayReport = BridgeHarness.JSON.readTree(reportsIn(done).get(0).toFile());
        assertThat(replayReport.path("accepted").asLong()).isEqualTo(2);
        assertThat(harness.city("22", 1)).isEqualTo("Baja");
        assertThat(harness.city("22", 2)).isEqualTo("Mohács");
    }

    @Test
    void a_csv_dead_letter_keeps_its_record_as_written_across_lines_and_replays() throws Exception {
        harness.startBridge(Map.of("retry.max-retries", "1"), true);
        harness.faults("{\"errors\":{\"statuses\":[502],\"path\":\"/v2/projects/22/records\"}}");
        String record = "\"1\",\"Baja\",\"Fő utca 1.\r\n2. emelet, \"\"B\"\"\"";
        harness.drop("22", "modify-records", "outage.csv", "numberid,city,address\r\n" + record + "\r\n");
        harness.awaitReport("22", "modify-records", "outage.csv");
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).path("raw").asText()).as("the record's bytes as the file has them").isEqualTo(record);
        harness.clearFaults();

        Path deadLetterFile;
        try (Stream<Path> files = Files.list(home.resolve("dead-letter"))) {
            deadLetterFile = files.findFirst().orElseThrow();
        }
        StringWriter out = new StringWriter();
        int exit = DialerBridge.execute(new String[]{"replay", "--inbox", home.resolve("inbox").toString(),
                deadLetterFile.toString()}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("replayed: 1, need a manual fix (no parsed element): 0");
        Path done = home.resolve("done/22/modify-records");
        await("replay report").atMost(Duration.ofSeconds(30)).until(() -> reportsIn(done).size() == 1);
        assertThat(BridgeHarness.JSON.readTree(reportsIn(done).get(0).toFile()).path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 1)).isEqualTo("Baja");
        assertThat(harness.record("22", 1).path("data").path("address").asText()).isEqualTo("Fő utca 1.\r\n2. emelet, \"B\"");
    }
}
