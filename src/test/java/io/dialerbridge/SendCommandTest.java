package io.dialerbridge;

import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `dialer-bridge send` in a real child JVM: its summary and its exit codes. */
@Timeout(180)
class SendCommandTest {

    static Sandbox sandbox;

    @TempDir
    Path home;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = Sandbox.start(SandboxSettings.defaults());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    private Map<String, String> environment(String token) {
        Map<String, String> env = new HashMap<>();
        env.put("BRIDGE_HOME", home.toString());
        env.put("VCC_BASE_URL", sandbox.vccBaseUrl());
        env.put("VCC_CUSTOMER", "sandbox");
        env.put("VCC_TOKEN", token);
        return env;
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(home.resolve(name), content);
    }

    @Test
    void exits_0_with_a_summary_when_everything_is_accepted() throws Exception {
        Path input = file("ok.ndjson", """
                {"numberid":"1","form":{"city":"Tata"}}
                {"numberid":"2","form":{"city":"Zirc"}}
                """);
        ChildProcess.Result result = ChildProcess.run(environment("sandbox"), home,
                "send", "--project", "22", "--operation", "modify-records", input.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.out()).contains("total: elements: 2, accepted: 2, dead-lettered: 0");
        assertThat(result.err()).doesNotContain("*** SANDBOX MODE ***").doesNotContain("c2FuZGJveDpzYW5kYm94");
    }

    @Test
    void reads_only_the_bytes_a_file_had_when_send_started_and_says_where_the_appended_part_begins() throws Exception {
        int rows = 3000;
        try (BridgeHarness harness = BridgeHarness.withRecords(home, rows)) {
            harness.faults("{\"latency\":{\"requestMs\":100,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
            Path input = file("growing.ndjson", BridgeHarness.distinctElements(rows));
            long length = Files.size(input);
            Map<String, String> env = harness.childEnvironment(home);
            env.put("BATCH_MAX_ELEMENTS", "100");
            env.put("BATCH_MAX_IN_FLIGHT", "1");
            Process send = ChildProcess.start(Path.of(".").toAbsolutePath(), env, home.resolve("send.out"),
                    home.resolve("send.err"), "send", "--project", "22", "--operation", "modify-records", input.toString());
            await("the first batch is out").atMost(Duration.ofSeconds(60))
                    .until(() -> harness.requestsTo("PUT", "/v2/projects/22/records") > 0);
            // appended while send reads the file: rows that change records the file named already
            Files.writeString(input, "{\"numberid\":\"1\",\"form\":{\"age\":\"appended1\"}}\n"
                    + "{\"numberid\":\"2\",\"form\":{\"age\":\"appended2\"}}\n", StandardOpenOption.APPEND);
            assertThat(send.waitFor(120, TimeUnit.SECONDS)).isTrue();

            String out = Files.readString(home.resolve("send.out"));
            assertThat(send.exitValue()).as(out + Files.readString(home.resolve("send.err"))).isEqualTo(0);
            assertThat(harness.requests().stream().filter(request -> request.path("body").asText().contains("appended")).count())
                    .as("requests that sent the appended rows").isZero();
            assertThat(harness.appliedCounts()).as("every row the file had when send started, once").hasSize(rows)
                    .allSatisfy((value, times) -> assertThat(times).isEqualTo(1));
            assertThat(out).contains("total: elements: " + rows + ", accepted: " + rows)
                    .contains("grew while it was read", "lines 1 to " + rows,
                            "appended after byte " + length + " were not read and nothing of them was sent");
        }
    }

    @Test
    void exits_3_and_writes_dead_letters_when_anything_is_refused() throws Exception {
        Path input = file("mixed.csv", "numberid,city\n1,Pápa\n424242,Nowhere\n,Orphan\n");
        ChildProcess.Result result = ChildProcess.run(environment("sandbox"), home,
                "send", "--project", "22", "--operation", "modify-records", input.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).contains("elements: 3, accepted: 1, dead-lettered: 2")
                .contains("error.record_not_exists: 1").contains("error.missing_numberid_or_search: 1");
        try (var files = Files.list(home.resolve("dead-letter"))) {
            List<String> lines = files.flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("sandbox:sandbox"));
        }
    }

    @Test
    void exits_3_with_a_summary_when_a_batch_gives_up_after_its_retries_and_a_later_batch_still_goes() throws Exception {
        // the first batch's request fails twice (its one retry too): it is dead-lettered; the second batch is accepted
        sandbox.setFaults(io.dialerbridge.sandbox.Faults.fromJson(
                "{\"errors\":{\"statuses\":[503],\"times\":2,\"method\":\"PUT\"}}"));
        try {
            Path input = file("two-batches.ndjson", """
                    {"numberid":"1","form":{"city":"Tata"}}
                    {"numberid":"2","form":{"city":"Zirc"}}
                    {"numberid":"1","form":{"city":"Pápa"}}
                    """);
            Map<String, String> env = environment("sandbox");
            env.put("RETRY_MAX_RETRIES", "1");
            env.put("RETRY_INITIAL_DELAY", "50");
            env.put("BATCH_MAX_ELEMENTS", "2");
            ChildProcess.Result result = ChildProcess.run(env, home,
                    "send", "--project", "22", "--operation", "modify-records", input.toString());

            assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
            assertThat(result.out()).contains("total: elements: 3, accepted: 1, dead-lettered: 2")
                    .contains("error.dialer_unavailable: 2");
            assertThat(result.err()).doesNotContain("No type converter").doesNotContain("Exchange[");
            // finished: no journal left behind that a second run would have to finish
            try (var files = Files.list(home.resolve("state"))) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".journal"));
            }
        } finally {
            sandbox.setFaults(null);
        }
    }

    @Test
    void a_file_refused_as_a_whole_is_named_and_the_files_after_it_still_go() throws Exception {
        Path first = file("goodA.csv", "numberid,city\n1,GoodA\n");
        Path empty = file("empty.csv", "");
        Path last = file("goodB.csv", "numberid,city\n2,GoodB\n");
        ChildProcess.Result result = ChildProcess.run(environment("sandbox"), home,
                "send", "--project", "22", "--operation", "modify-records", first.toString(), empty.toString(), last.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).contains(first + ": elements: 1, accepted: 1")
                .contains(empty + ": refused as a whole, nothing sent: the CSV file is empty")
                .contains(last + ": elements: 1, accepted: 1")
                .contains("total: elements: 2, accepted: 2, dead-lettered: 0, files refused as a whole: 1");
        assertThat(result.err()).doesNotContain("Exchange[");
    }

    @Test
    void a_latin1_byte_near_the_start_of_a_csv_dead_letters_its_row_sends_the_rest_and_exits_3() throws Exception {
        // the testers' repro: printf 'numberid,city\n1,ok\n2,P\xe9cs\n3,ok3\n' > latin1.csv (was: exit 1, "Input length = 1")
        Path input = Files.write(home.resolve("latin1.csv"),
                "numberid,city\n1,ok\n2,P\u00e9cs\n3,ok3\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        ChildProcess.Result result = ChildProcess.run(environment("sandbox"), home,
                "send", "--project", "22", "--operation", "modify-records", input.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).contains("elements: 3, accepted: 2, dead-lettered: 1").contains("error.malformed_encoding: 1");
    }

    @Test
    void a_csv_ending_in_a_blank_line_exits_0() throws Exception {
        Path input = file("blank.csv", "numberid,city\r\n1,Tata\r\n2,Zirc\r\n\r\n");
        ChildProcess.Result result = ChildProcess.run(environment("sandbox"), home,
                "send", "--project", "22", "--operation", "modify-records", input.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(0);
        assertThat(result.out()).contains("elements: 2, accepted: 2, dead-lettered: 0");
    }

    @Test
    void exits_1_when_the_credentials_are_refused_and_dead_letters_nothing() throws Exception {
        Path input = file("ok.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"Tata\"}}\n");
        ChildProcess.Result result = ChildProcess.run(environment("wrong-token"), home,
                "send", "--project", "22", "--operation", "modify-records", input.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("refused the credentials").doesNotContain("wrong-token");
        assertThat(home.resolve("dead-letter")).doesNotExist();
    }

    @Test
    void exits_1_when_the_api_is_unreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = environment("sandbox");
        env.put("VCC_BASE_URL", "http://127.0.0.1:" + closedPort + "/v2");
        Path input = file("ok.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"Tata\"}}\n");

        ChildProcess.Result result = ChildProcess.run(env, home,
                "send", "--project", "22", "--operation", "modify-records", input.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot be reached");
    }

    @Test
    void exits_2_on_bad_usage_and_describes_every_option_in_help() throws Exception {
        ChildProcess.Result missing = ChildProcess.run(environment("sandbox"), home, "send", "--operation", "modify-records", "x.ndjson");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--project");

        ChildProcess.Result unknown = ChildProcess.run(environment("sandbox"), home,
                "send", "--project", "22", "--operation", "delete-everything", "x.ndjson");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown operation");

        ChildProcess.Result help = ChildProcess.run(environment("sandbox"), home, "send", "--help");
        assertThat(help.exitCode()).isEqualTo(0);
        assertThat(help.out()).contains("--project", "--operation", "modify-records", "FILE");
    }

    @Test
    void exits_2_before_starting_when_the_project_is_not_a_positive_whole_number() throws Exception {
        Path input = file("one.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"X\"}}\n");
        for (String project : new String[] {"abc", "22?x=1", "-22", "22.5", "2%32", "../../tmp/x", ""}) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = DialerBridge.execute(new String[] {"send", "--project", project, "--operation", "modify-records",
                    input.toString()}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            assertThat(code).as(project).isEqualTo(2);
            assertThat(err.toString()).as(project).contains("--project").contains("is not a positive whole number")
                    .contains("\"" + project + "\"");
        }
    }

    @Test
    void a_file_named_by_a_relative_path_climbing_with_dot_dot_gets_its_errors_file_inside_done() throws Exception {
        Path input = Files.createDirectories(home.resolve("c")).resolve("rel.csv");
        Files.writeString(input, "numberid,city\n1,Tata\n,Orphan\n");
        Path bridgeHome = home.resolve("fresh-home");
        Map<String, String> env = environment("sandbox");
        env.put("BRIDGE_HOME", bridgeHome.toString());
        // relative to the working folder of the child (this project), climbing out of it: ../../tmp/.../c/rel.csv
        String relative = Path.of("").toAbsolutePath().relativize(input.toAbsolutePath()).toString();
        assertThat(relative).startsWith("..");

        ChildProcess.Result result = ChildProcess.run(env, home, "send", "--project", "22", "--operation", "modify-records", relative);

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
        assertThat(result.out()).contains("total: elements: 2, accepted: 1, dead-lettered: 1");
        Path errors = bridgeHome.resolve("done").resolve("rel.errors.csv");
        assertThat(errors).as("inside done/, not beside the input nor above done/").exists();
        assertThat(Files.readString(errors)).contains(",Orphan,error.missing_numberid_or_search,");
        assertThat(home.resolve("c").resolve("rel.errors.csv")).doesNotExist();
        try (var left = Files.list(bridgeHome.resolve("state"))) {
            assertThat(left.filter(path -> path.getFileName().toString().endsWith(".journal")).toList())
                    .as("no journal left").isEmpty();
        }
    }
}
