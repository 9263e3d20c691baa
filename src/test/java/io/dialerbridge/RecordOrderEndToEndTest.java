package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order invariant through the real routes, over real HTTP against the sandbox: for each record,
 * a later change always wins, under 503s, 429s with Retry-After, dropped connections, whole-request
 * refusals (bisection) and element re-sends for {@code error.record_in_call}.
 */
@Timeout(240)
class RecordOrderEndToEndTest extends BridgeEndToEndSupport {

    /** Fast retries, so that a few hundred retried requests take seconds, not minutes. */
    private static final Map<String, String> QUICK_RETRIES = Map.of(
            "retry.initial-delay", "5", "retry.max-delay", "20", "retry.max-retries", "50",
            "element-retry.initial-delay", "5", "element-retry.max-delay", "20",
            "retry.max-retry-after", "1", "vcc.response-timeout", "2000");

    private static String updates(String tag, int records, int lines, Random random, List<Integer> recordOfLine) {
        StringBuilder file = new StringBuilder();
        for (int line = 1; line <= lines; line++) {
            int record = random == null ? 1 + (line - 1) % records : 1 + random.nextInt(records);
            recordOfLine.add(record);
            file.append("{\"numberid\":\"").append(record).append("\",\"form\":{\"age\":\"")
                    .append(tag).append("-").append(line).append("\"}}\n");
        }
        return file.toString();
    }

    private String ageOf(int numberid) throws Exception {
        return harness.vccGet("/projects/22/records/" + numberid).path("response").path("data").path("age").asText();
    }

    /**
     * Checks conservation (every line accepted or dead-lettered, once) and order (each record holds
     * the value of its last line that was not dead-lettered) for one file.
     */
    private void assertConservedAndInOrder(String name, String tag, List<Integer> recordOfLine) throws Exception {
        JsonNode report = harness.awaitReport("22", "modify-records", name);
        List<JsonNode> letters = harness.deadLetters().stream()
                .filter(l -> l.path("source").path("file").asText().endsWith(name)).toList();
        Set<Long> deadLines = new HashSet<>();
        letters.forEach(l -> deadLines.add(l.path("source").path("line").asLong()));
        assertThat(deadLines).as("no line dead-lettered twice").hasSize(letters.size());
        assertThat(report.path("accepted").asLong() + report.path("deadLettered").asLong())
                .as("every line accounted for once").isEqualTo(recordOfLine.size());
        assertThat(report.path("deadLettered").asLong()).isEqualTo(letters.size());

        Map<Integer, String> expected = new HashMap<>();
        for (int line = 1; line <= recordOfLine.size(); line++) {
            if (!deadLines.contains((long) line)) {
                expected.put(recordOfLine.get(line - 1), tag + "-" + line);
            }
        }
        for (Map.Entry<Integer, String> record : expected.entrySet()) {
            assertThat(ageOf(record.getKey())).as("record %d holds its last change (%s)", record.getKey(), name)
                    .isEqualTo(record.getValue());
        }
    }

    @Test
    void a_later_change_always_wins_when_a_third_of_requests_answer_503() throws Exception {
        // the reported case, scaled for CI: five records updated in turn, 30% of requests refused
        Map<String, String> settings = new HashMap<>(QUICK_RETRIES);
        settings.put("batch.max-elements", "50");
        harness.startBridge(settings, true);
        harness.admin("PUT", "faults", """
                {"seed":5,"errors":{"statuses":[503],"rate":0.3,"path":"/v2/projects/22/records","method":"PUT"}}""");
        List<Integer> recordOfLine = new ArrayList<>();
        harness.drop("22", "modify-records", "updates.ndjson", updates("u", 5, 2000, null, recordOfLine));

        assertConservedAndInOrder("updates.ndjson", "u", recordOfLine);
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.requests()).as("the faults really fired")
                .anyMatch(r -> r.path("status").asInt() == 503);
    }

    @Test
    void a_later_file_wins_over_an_earlier_one_whose_batch_was_retried() throws Exception {
        // two files in the inbox at one look, both changing records 1..5 (the seed's); the earlier one's request is
        // refused once with 503 and sent again after a pause: the later file must not go meanwhile
        harness.drop("22", "modify-records", "earlier.ndjson", updates("earlier", 5, 5, null, new ArrayList<>()));
        harness.drop("22", "modify-records", "later.ndjson", updates("later", 5, 5, null, new ArrayList<>()));
        java.nio.file.Path inbox = home.resolve("inbox/22/modify-records");
        long now = System.currentTimeMillis();
        java.nio.file.Files.setLastModifiedTime(inbox.resolve("earlier.ndjson"), java.nio.file.attribute.FileTime.fromMillis(now - 60_000));
        java.nio.file.Files.setLastModifiedTime(inbox.resolve("later.ndjson"), java.nio.file.attribute.FileTime.fromMillis(now - 30_000));
        harness.admin("PUT", "faults", """
                {"errors":{"statuses":[503],"times":1,"path":"/v2/projects/22/records","method":"PUT"}}""");
        Map<String, String> settings = new HashMap<>(QUICK_RETRIES);
        settings.put("retry.initial-delay", "500");
        settings.put("retry.max-delay", "500");
        harness.startBridge(settings, true);

        harness.awaitReport("22", "modify-records", "earlier.ndjson");
        harness.awaitReport("22", "modify-records", "later.ndjson");
        for (int record = 1; record <= 5; record++) {
            assertThat(ageOf(record)).as("record %d holds the later file's change", record).isEqualTo("later-" + record);
        }
        assertThat(harness.requests()).as("the fault fired").anyMatch(r -> r.path("status").asInt() == 503);
    }

    @Test
    void a_later_change_always_wins_under_generated_fault_schedules() throws Exception {
        Map<String, String> settings = new HashMap<>(QUICK_RETRIES);
        settings.put("batch.max-elements", "4");
        harness.startBridge(settings, true);
        int cases = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            harness.admin("PUT", "faults", faultSchedule(seed, random));
            List<Integer> recordOfLine = new ArrayList<>();
            String name = "schedule-" + seed + ".ndjson";
            String tag = "s" + seed;
            harness.drop("22", "modify-records", name, updates(tag, 1 + random.nextInt(5), 40 + random.nextInt(160),
                    random, recordOfLine));
            assertConservedAndInOrder(name, tag, recordOfLine);
            harness.admin("DELETE", "faults", null);
            cases++;
        }
        System.out.println("RecordOrderEndToEndTest: " + cases + " generated fault schedules");
    }

    /** A random mix of the sandbox's faults on the batch endpoint, seeded. */
    private static String faultSchedule(long seed, Random random) {
        List<String> faults = new ArrayList<>();
        String batchPut = "\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"";
        if (random.nextBoolean()) {
            faults.add("\"errors\":{\"statuses\":[503,502],\"rate\":" + (0.1 + random.nextDouble() * 0.3) + "," + batchPut + "}");
        }
        if (random.nextBoolean()) {
            faults.add("\"rateLimit\":{\"requestsPerSecond\":" + (40 + random.nextInt(60)) + ",\"retryAfterSeconds\":1,\"projectid\":22}");
        }
        if (random.nextBoolean()) {
            faults.add("\"disconnects\":{\"beforeProcessing\":" + random.nextBoolean() + ",\"rate\":0.1," + batchPut + "}");
        }
        List<String> elementErrors = new ArrayList<>();
        if (random.nextBoolean()) {
            elementErrors.add("{\"operation\":\"modify-records\",\"index\":" + random.nextInt(4)
                    + ",\"error\":\"error.record_in_call\",\"times\":" + (1 + random.nextInt(6)) + "}");
        }
        if (random.nextBoolean()) {
            elementErrors.add("{\"operation\":\"modify-records\",\"index\":" + random.nextInt(4)
                    + ",\"effect\":\"reject-request\",\"times\":" + (1 + random.nextInt(3)) + "}");
        }
        if (!elementErrors.isEmpty()) {
            faults.add("\"elementErrors\":[" + String.join(",", elementErrors) + "]");
        }
        return "{\"seed\":" + seed + (faults.isEmpty() ? "" : "," + String.join(",", faults)) + "}";
    }
}
