package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.batch.Deliveries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The reported cases of issue 10, input half, end to end: real bridge, the sandbox over HTTP, real files.
 * Every file reaches done/ or failed/ whatever its bytes, and values reach the dialer exactly as they were.
 */
@Timeout(90)
class InputProgressAndFidelityTest extends BridgeEndToEndSupport {

    private static final String OPERATION = "modify-records";

    private Path dropBytes(String name, byte[] content) throws Exception {
        Path folder = home.resolve("inbox").resolve("22").resolve(OPERATION);
        Files.createDirectories(folder);
        Path partial = Files.write(folder.resolve("." + name + ".partial"), content);
        return Files.move(partial, folder.resolve(name));
    }


    private Path failed(String name) {
        return home.resolve("failed").resolve("22").resolve(OPERATION).resolve(name);
    }

    @Test
    void an_empty_file_goes_to_done_with_no_elements_and_does_not_stall_the_files_after_it() throws Exception {
        harness.startBridge(Map.of(), true);
        dropBytes("empty.ndjson", new byte[0]);
        dropBytes("empty.json", new byte[0]);
        harness.drop("22", OPERATION, "later.ndjson", "{\"numberid\":\"2\",\"form\":{\"city\":\"After-empty\"}}\n");

        JsonNode empty = harness.awaitReport("22", OPERATION, "empty.ndjson");
        assertThat(empty.path("elements").asLong()).isZero();
        assertThat(harness.awaitReport("22", OPERATION, "empty.json").path("elements").asLong()).isZero();
        assertThat(harness.awaitReport("22", OPERATION, "later.ndjson").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 2)).isEqualTo("After-empty");
        assertThat(harness.inbox("22", OPERATION, "empty.ndjson")).doesNotExist();
    }

    @Test
    void an_invalid_utf8_line_is_dead_lettered_with_its_raw_bytes_while_the_valid_line_is_sent() throws Exception {
        String before = harness.city("22", 1);
        harness.startBridge(Map.of(), true);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] latin1Line = "{\"numberid\":\"1\",\"form\":{\"city\":\"P\u00e9cs\"}}".getBytes(StandardCharsets.ISO_8859_1);
        content.write(latin1Line);
        content.write("\n{\"numberid\":\"2\",\"form\":{\"city\":\"P\u00e9cs\"}}\n".getBytes(StandardCharsets.UTF_8));
        dropBytes("latin1.ndjson", content.toByteArray());

        JsonNode report = harness.awaitReport("22", OPERATION, "latin1.ndjson");
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(1);
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).hasSize(1);
        JsonNode letter = letters.get(0);
        assertThat(letter.path("error").asText()).isEqualTo("error.malformed_encoding");
        assertThat(letter.path("source").path("line").asLong()).isEqualTo(1);
        assertThat(letter.path("errorMessage").asText()).contains("line 1", "UTF-8");
        assertThat(Base64.getDecoder().decode(letter.path("rawBase64").asText())).isEqualTo(latin1Line);
        assertThat(harness.city("22", 2)).isEqualTo("P\u00e9cs");
        assertThat(harness.city("22", 1)).as("never sent, not even repaired").isEqualTo(before);
    }

    @Test
    void a_latin1_byte_near_the_start_of_a_csv_dead_letters_only_its_record_and_the_rest_is_sent() throws Exception {
        String before = harness.city("22", 2);
        harness.startBridge(Map.of(), true);
        // the tester's repro: the bad byte within the first 8 KiB used to fail the whole file
        dropBytes("latin1.csv", "numberid,city\n1,ok\n2,P\u00e9cs\n3,ok3\n".getBytes(StandardCharsets.ISO_8859_1));

        JsonNode report = harness.awaitReport("22", OPERATION, "latin1.csv");
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(1);
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).path("error").asText()).isEqualTo("error.malformed_encoding");
        assertThat(letters.get(0).path("source").path("line").asLong()).isEqualTo(3);
        assertThat(Base64.getDecoder().decode(letters.get(0).path("rawBase64").asText()))
                .isEqualTo("2,P\u00e9cs".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(harness.city("22", 1)).isEqualTo("ok");
        assertThat(harness.city("22", 3)).isEqualTo("ok3");
        assertThat(harness.city("22", 2)).as("never sent, not even repaired").isEqualTo(before);
    }

    @Test
    void a_csv_whose_header_is_not_utf8_or_that_is_utf16_goes_to_failed_saying_so() throws Exception {
        harness.startBridge(Map.of(), true);
        dropBytes("header.csv", "numberid,v\u00e1ros\n1,ok\n".getBytes(StandardCharsets.ISO_8859_1));
        dropBytes("wide.csv", "\uFEFFnumberid,city\n1,ok\n".getBytes(StandardCharsets.UTF_16LE));

        Path header = failed("header.csv.reason.txt");
        Path wide = failed("wide.csv.reason.txt");
        await("both files are in failed/ with their reasons").atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(header) && Files.exists(wide));
        assertThat(Files.readString(header)).contains("the CSV header row is not valid UTF-8");
        assertThat(Files.readString(wide)).contains("UTF-16", "not UTF-8");
    }

    @Test
    void a_trailing_blank_line_in_a_csv_is_not_an_element() throws Exception {
        harness.startBridge(Map.of(), true);
        harness.drop("22", OPERATION, "blank.csv", "numberid,city\r\n1,Blank-A\r\n\r\n2,Blank-B\r\n\r\n");

        JsonNode report = harness.awaitReport("22", OPERATION, "blank.csv");
        assertThat(report.path("elements").asLong()).isEqualTo(2);
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isZero();
        assertThat(harness.city("22", 2)).isEqualTo("Blank-B");
    }

    @Test
    void a_csv_cell_holding_cr_lf_reaches_the_dialer_unchanged() throws Exception {
        harness.startBridge(Map.of(), true);
        harness.drop("22", OPERATION, "story.csv", "numberid,city\r\n1,\"Once upon \r\na time\"\r\n2,\"tab\there | \"\"quoted\"\" \u00e9\u6f22\ud83d\ude00\"\r\n");

        assertThat(harness.awaitReport("22", OPERATION, "story.csv").path("accepted").asLong()).isEqualTo(2);
        assertThat(harness.city("22", 1)).isEqualTo("Once upon \r\na time");
        assertThat(harness.city("22", 2)).isEqualTo("tab\there | \"quoted\" \u00e9\u6f22\ud83d\ude00");
    }

    @Test
    void a_directory_named_like_an_input_file_goes_to_failed_with_the_reason_and_does_not_stall_later_files() throws Exception {
        harness.startBridge(Map.of(), true);
        Files.createDirectories(home.resolve("inbox").resolve("22").resolve(OPERATION).resolve("folder.ndjson"));
        harness.drop("22", OPERATION, "later.ndjson", "{\"numberid\":\"3\",\"form\":{\"city\":\"After-folder\"}}\n");

        Path reason = failed("folder.ndjson.reason.txt");
        await("the directory is in failed/ with its reason").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        assertThat(Files.readString(reason)).contains("directory");
        assertThat(failed("folder.ndjson")).isDirectory();
        assertThat(harness.awaitReport("22", OPERATION, "later.ndjson").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 3)).isEqualTo("After-folder");
    }

    @Test
    void a_pipe_named_like_an_input_file_goes_to_failed_and_does_not_block_the_inbox() throws Exception {
        Path folder = Files.createDirectories(home.resolve("inbox").resolve("22").resolve(OPERATION));
        Process mkfifo = new ProcessBuilder("mkfifo", folder.resolve("pipe.csv").toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is available");
        harness.startBridge(Map.of(), true);
        harness.drop("22", OPERATION, "later.ndjson", "{\"numberid\":\"3\",\"form\":{\"city\":\"After-pipe\"}}\n");

        Path reason = failed("pipe.csv.reason.txt");
        await("the pipe is in failed/ with its reason").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        assertThat(Files.readString(reason)).contains("not a regular file");
        assertThat(harness.awaitReport("22", OPERATION, "later.ndjson").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 3)).isEqualTo("After-pipe");
    }

    @Test
    void a_file_that_keeps_failing_for_an_unanticipated_reason_is_quarantined_after_max_attempts() throws Exception {
        String content = "{\"numberid\":\"4\",\"form\":{\"city\":\"Never\"}}\n";
        String sourceName = "22/" + OPERATION + "/stuck.ndjson";
        // its journal's place is taken by a directory: reading the journal fails on every attempt
        Files.createDirectories(home.resolve("state").resolve(Deliveries.journalKey(sourceName) + ".journal"));
        String before = harness.city("22", 4);
        harness.startBridge(Map.of("ingest.file.max-attempts", "3"), true);
        harness.drop("22", OPERATION, "stuck.ndjson", content);
        harness.drop("22", OPERATION, "fine.ndjson", "{\"numberid\":\"5\",\"form\":{\"city\":\"Fine\"}}\n");

        Path reason = failed("stuck.ndjson.reason.txt");
        await("the file is quarantined in failed/").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        assertThat(Files.readString(reason)).contains("gave up after 3 attempts");
        assertThat(failed("stuck.ndjson")).hasContent(content.strip());
        assertThat(harness.inbox("22", OPERATION, "stuck.ndjson")).doesNotExist();
        assertThat(harness.awaitReport("22", OPERATION, "fine.ndjson").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 4)).isEqualTo(before);
    }
}
