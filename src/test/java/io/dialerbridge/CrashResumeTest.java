package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon in a real child JVM, killed with SIGKILL in the middle of a large file, then started
 * again: the file resumes from its journal, every element is accounted for once, and no element of
 * a batch answered before the kill is sent again.
 */
@Timeout(180)
class CrashResumeTest extends BridgeEndToEndSupport {

    /** distinctElements changes one record per element: project 22 needs that many records. */
    @Override
    BridgeHarness newHarness() throws Exception {
        return BridgeHarness.withRecords(home, 6000);
    }


    private static final int ELEMENTS = 6000;
    private static final int BATCH = 100;
    private static final int IN_FLIGHT = 4;

    @BeforeEach
    void slowDialer() throws Exception {
        harness.faults("{\"latency\":{\"requestMs\":120,\"path\":\"/v2/projects/22/records\"}}");
    }

    private Process startDaemon(String name, Map<String, String> extra) throws Exception {
        Map<String, String> env = harness.childEnvironment(home);
        env.putAll(extra);
        env.put("BATCH_MAX_ELEMENTS", String.valueOf(BATCH));
        env.put("BATCH_MAX_IN_FLIGHT", String.valueOf(IN_FLIGHT));
        env.put("INGEST_FILE_POLL_DELAY", "100");
        env.put("INGEST_FILE_MIN_AGE", "200");
        env.put("MANAGEMENT_ENABLED", "false");
        return harness.startDaemon(name, env);
    }

    private List<String> journalLines() throws Exception {
        Path state = home.resolve("state");
        if (!Files.isDirectory(state)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(state)) {
            List<Path> journals = files.filter(p -> p.toString().endsWith(".journal")).toList();
            if (journals.isEmpty()) {
                return List.of();
            }
            return Files.readAllLines(journals.get(0), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("A ") || line.startsWith("D ")).toList();
        }
    }

    @Test
    void resumes_a_file_after_a_crash_without_resending_answered_batches() throws Exception {
        stopsMidFileAndResumes(true);
    }

    @Test
    void a_sigterm_mid_file_leaves_nothing_half_done_and_the_file_resumes() throws Exception {
        stopsMidFileAndResumes(false);
    }

    private void stopsMidFileAndResumes(boolean kill) throws Exception {
        Path folder = Files.createDirectories(home.resolve("inbox/22/modify-records"));
        Files.writeString(folder.resolve(".big.partial"), BridgeHarness.distinctElements(ELEMENTS));

        if (!kill) {
            // a second per batch: after ten of the sixty batches, a 1 s graceful shutdown that lets only
            // the batches in flight finish cannot finish the file
            harness.faults("{\"latency\":{\"requestMs\":1000,\"path\":\"/v2/projects/22/records\"}}");
        }
        Process first = startDaemon("first", kill ? Map.of() : Map.of("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "1"));
        Files.move(folder.resolve(".big.partial"), folder.resolve("big.ndjson"));
        await("ten batches answered and journalled").atMost(Duration.ofSeconds(60))
                .until(() -> journalLines().size() >= 10);
        if (kill) {
            first.destroyForcibly(); // SIGKILL
        } else {
            first.destroy(); // SIGTERM: graceful shutdown, bounded by camel.main.shutdown-timeout
        }
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path report = home.resolve("done/22/modify-records/big.ndjson.report.json");
        assertThat(report).as("the file was still in progress when the bridge stopped").doesNotExist();

        Set<String> journalled = new HashSet<>();
        for (String line : journalLines()) {
            for (String part : line.substring(2).split(" ")) {
                journalled.add("v" + part);
            }
        }
        assertThat(journalled).hasSizeGreaterThanOrEqualTo(10 * BATCH).hasSizeLessThan(ELEMENTS);
        assertThat(folder.resolve("big.ndjson")).exists();
        assertThat(home.resolve("done/22/modify-records/big.ndjson")).doesNotExist();

        harness.faults("{\"latency\":{\"requestMs\":120,\"path\":\"/v2/projects/22/records\"}}");
        Instant restart = Instant.now();
        Process second = startDaemon("second", Map.of());
        try {
            JsonNode summary = harness.awaitReport("22", "modify-records", "big.ndjson", Duration.ofSeconds(90));
            assertThat(summary.path("elements").asLong()).isEqualTo(ELEMENTS);
            assertThat(summary.path("accepted").asLong()).isEqualTo(ELEMENTS);
            assertThat(summary.path("deadLettered").asLong()).isZero();
            assertThat(home.resolve("dead-letter")).doesNotExist();
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }

        Map<String, Integer> applied = harness.appliedCounts();
        Set<String> sentAfterRestart = harness.appliedCounts(restart).keySet();
        assertThat(applied).as("every element reached the dialer").hasSize(ELEMENTS);
        long twice = applied.values().stream().filter(times -> times > 1).count();
        // sent and not journalled at the kill: the batches out at the dialer (IN_FLIGHT request slots) and those
        // whose answer another of the 2 x IN_FLIGHT senders was still accounting for
        assertThat(twice).as("only batches sent and not yet journalled at the kill may be sent twice")
                .isLessThanOrEqualTo(2L * IN_FLIGHT * BATCH);
        assertThat(applied.values()).allMatch(times -> times <= 2);
        assertThat(sentAfterRestart).as("no journalled element is sent again").doesNotContainAnyElementsOf(journalled);
    }

    @Test
    void a_file_that_grew_before_the_crash_resumes_from_its_journal_and_its_appended_rows_are_not_sent() throws Exception {
        Path folder = Files.createDirectories(home.resolve("inbox/22/modify-records"));
        Files.writeString(folder.resolve(".big.partial"), BridgeHarness.distinctElements(ELEMENTS));
        Process first = startDaemon("first", Map.of());
        Files.move(folder.resolve(".big.partial"), folder.resolve("big.ndjson"));
        long pickedUpLength = Files.size(folder.resolve("big.ndjson"));
        await("ten batches answered and journalled").atMost(Duration.ofSeconds(60))
                .until(() -> journalLines().size() >= 10);
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Set<String> journalled = new HashSet<>();
        for (String line : journalLines()) {
            for (String part : line.substring(2).split(" ")) {
                journalled.add("v" + part);
            }
        }
        // appended while the bridge was down: rows that change records the file named already
        Files.writeString(folder.resolve("big.ndjson"), "{\"numberid\":\"1\",\"form\":{\"age\":\"appended1\"}}\n"
                + "{\"numberid\":\"2\",\"form\":{\"age\":\"appended2\"}}\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        Instant restart = Instant.now();
        Process second = startDaemon("second", Map.of());
        Path reason = home.resolve("failed/22/modify-records/big.ndjson.reason.txt");
        try {
            await("the file out of the inbox").atMost(Duration.ofSeconds(90)).until(() -> Files.exists(reason)
                    || Files.exists(home.resolve("done/22/modify-records/big.ndjson.report.json")));
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(harness.appliedCounts(restart).keySet()).as("no journalled element is sent again")
                .doesNotContainAnyElementsOf(journalled);
        assertThat(reason).as("the appended part is not read: the file goes to failed/ with the reason").exists();
        JsonNode summary = BridgeHarness.JSON.readTree(
                home.resolve("failed/22/modify-records/big.ndjson.report.json").toFile());
        assertThat(summary.path("elements").asLong()).as("the rows the file had when first picked up").isEqualTo(ELEMENTS);
        assertThat(summary.path("accepted").asLong()).isEqualTo(ELEMENTS);
        assertThat(Files.readString(reason)).contains("grew while it was read", "lines 1 to " + ELEMENTS,
                "appended after byte " + pickedUpLength + " were not read and nothing of them was sent");
        Map<String, Integer> applied = harness.appliedCounts();
        assertThat(applied).as("every element reached the dialer").hasSize(ELEMENTS);
        assertThat(applied.values()).allMatch(times -> times <= 2);
        assertThat(harness.requests().stream().map(r -> r.path("body").asText()))
                .as("the appended rows were not sent").noneMatch(body -> body.contains("appended"));
        try (Stream<Path> left = Files.list(home.resolve("state"))) {
            assertThat(left.filter(p -> p.toString().endsWith(".journal")).toList()).as("no journal left behind").isEmpty();
        }
    }

    @Test
    void a_file_rewritten_in_place_before_the_restart_is_sent_from_its_start_as_a_new_file() throws Exception {
        Path folder = Files.createDirectories(home.resolve("inbox/22/modify-records"));
        Files.writeString(folder.resolve(".big.partial"), BridgeHarness.distinctElements(ELEMENTS));
        Process first = startDaemon("first", Map.of());
        Files.move(folder.resolve(".big.partial"), folder.resolve("big.ndjson"));
        await("ten batches answered and journalled").atMost(Duration.ofSeconds(60))
                .until(() -> journalLines().size() >= 10);
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // rewritten in place while the bridge was down: same length, other values ("w<line>" for "v<line>")
        String rewritten = BridgeHarness.distinctElements(ELEMENTS).replace("\"age\":\"v", "\"age\":\"w");
        Files.writeString(folder.resolve("big.ndjson"), rewritten, StandardCharsets.UTF_8);

        Instant restart = Instant.now();
        Process second = startDaemon("second", Map.of());
        try {
            JsonNode summary = harness.awaitReport("22", "modify-records", "big.ndjson", Duration.ofSeconds(90));
            assertThat(summary.path("elements").asLong()).as("every element of the new content").isEqualTo(ELEMENTS);
            assertThat(summary.path("accepted").asLong()).isEqualTo(ELEMENTS);
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        Map<String, Integer> newValues = new java.util.HashMap<>();
        java.util.regex.Pattern value = java.util.regex.Pattern.compile("\"age\":\"(w\\d+)\"");
        for (JsonNode request : harness.requests()) {
            if (request.path("method").asText().equals("PUT") && request.path("status").asInt() == 200
                    && Instant.parse(request.path("time").asText()).isAfter(restart)) {
                java.util.regex.Matcher m = value.matcher(request.path("body").asText());
                while (m.find()) {
                    newValues.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        assertThat(newValues).as("the new content, from its start, each element once").hasSize(ELEMENTS)
                .allSatisfy((v, times) -> assertThat(times).isEqualTo(1));
        assertThat(harness.appliedCounts(restart)).as("nothing of the old content after the restart").isEmpty();
        try (Stream<Path> left = Files.list(home.resolve("state"))) {
            assertThat(left.filter(p -> p.toString().endsWith(".journal")).toList())
                    .as("no journal left behind (the old content's neither)").isEmpty();
        }
    }
}
