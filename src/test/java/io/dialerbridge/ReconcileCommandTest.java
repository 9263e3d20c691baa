package io.dialerbridge;

import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `dialer-bridge send` in a real child JVM, then `dialer-bridge reconcile` (through the command line's
 * entry point, with a settings file pointing at the sandbox) over real HTTP: what the bridge sent
 * matches, and a record changed behind the bridge's back shows up as drift.
 */
@Timeout(90)
class ReconcileCommandTest {

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

    private Map<String, String> environment() {
        return Map.of("BRIDGE_HOME", home.toString(), "VCC_BASE_URL", sandbox.vccBaseUrl(), "VCC_CUSTOMER", "sandbox",
                "VCC_TOKEN", "sandbox");
    }

    /** `dialer-bridge reconcile ARGS` with the settings file and the sandbox's credentials, or another token. */
    private ChildProcess.Result reconcile(String token, String... args) throws Exception {
        return reconcileWith(token, "", args);
    }

    /** As {@link #reconcile}, with more settings (properties lines) in the settings file. */
    private ChildProcess.Result reconcileWith(String token, String moreSettings, String... args) throws Exception {
        Path settings = home.resolve("settings-" + token + ".properties");
        Files.writeString(settings, Files.readString(Path.of("config/application.properties"), StandardCharsets.UTF_8)
                + "\nbridge.home = " + home + "\nvcc.base-url = " + sandbox.vccBaseUrl()
                + "\nvcc.customer = sandbox\nvcc.token = " + token + "\n" + moreSettings + "\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("--config", settings.toString(), "reconcile", "--project", "22",
                "--operation", "modify-records"));
        command.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = DialerBridge.execute(command.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new ChildProcess.Result(exitCode, out.toString(), err.toString());
    }

    /** Changes a record directly in the dialer (not through the bridge). */
    private static void changeBehindTheBridgesBack(String numberid, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.vccBaseUrl() + "/projects/22/records/" + numberid))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("sandbox:sandbox".getBytes(StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        assertThat(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private List<String> reportLines(ChildProcess.Result result) throws Exception {
        String path = result.out().lines().filter(line -> line.startsWith("differences: ")).findFirst().orElseThrow()
                .substring("differences: ".length());
        assertThat(Path.of(path)).hasParent(home.resolve("reports"));
        return Files.readAllLines(Path.of(path));
    }

    @Test
    void finds_what_the_dialer_holds_and_a_record_changed_behind_the_bridges_back() throws Exception {
        Path updates = Files.writeString(home.resolve("updates.ndjson"), """
                {"numberid":"1","form":{"city":"Tata","likes":"music|sports"}}
                {"numberid":"2","form":{"city":"Zirc"}}
                {"search":{"name":"Peter Kovacs"},"form":{"city":"Szeged"}}
                {"numberid":"2","form":{"city":"Eger"}}
                """);
        Path unknown = Files.writeString(home.resolve("unknown.csv"), "numberid,city\n424242,Nowhere\n");
        ChildProcess.Result send = ChildProcess.run(environment(), home,
                "send", "--project", "22", "--operation", "modify-records", updates.toString(), unknown.toString());
        assertThat(send.exitCode()).as(send.err()).isEqualTo(3);

        ChildProcess.Result inStep = reconcile("sandbox", "--all", updates.toString());
        assertThat(inStep.exitCode()).as(inStep.err()).isEqualTo(0);
        assertThat(inStep.out()).contains("checked: 2 of 2 records, matching: 2, drifted: 0, missing: 0, not checkable: 1");
        assertThat(reportLines(inStep)).isEmpty();

        changeBehindTheBridgesBack("1", "{\"likes\":\"sports\"}");
        changeBehindTheBridgesBack("2", "{\"city\":\"Changed\"}");
        ChildProcess.Result drifted = reconcile("sandbox", "--all", updates.toString(), unknown.toString());
        assertThat(drifted.exitCode()).as(drifted.err()).isEqualTo(3);
        assertThat(drifted.out()).contains("checked: 3 of 3 records, matching: 0, drifted: 2, missing: 1, not checkable: 1");
        assertThat(reportLines(drifted)).containsExactlyInAnyOrder(
                "{\"numberid\":\"1\",\"field\":\"likes\",\"sent\":\"music|sports\",\"dialer\":\"sports\"}",
                "{\"numberid\":\"2\",\"field\":\"city\",\"sent\":\"Eger\",\"dialer\":\"Changed\"}",
                "{\"numberid\":\"424242\",\"missing\":true}");
    }

    @Test
    void reads_the_files_through_the_field_mapping_as_send_does() throws Exception {
        Path mapping = Files.writeString(home.resolve("mapping.yaml"), """
                "22":
                  modify-records:
                    numberid: crm_id
                    form:
                      city: address.town
                """);
        Path export = Files.writeString(home.resolve("export.csv"), "crm_id,address.town\n5,Győr\n");
        Map<String, String> env = new java.util.HashMap<>(environment());
        env.put("MAPPING_FILE", mapping.toString());
        ChildProcess.Result send = ChildProcess.run(env, home,
                "send", "--project", "22", "--operation", "modify-records", export.toString());
        assertThat(send.exitCode()).as(send.out() + send.err()).isEqualTo(0);

        ChildProcess.Result inStep = reconcileWith("sandbox", "mapping.file = " + mapping, "--all", export.toString());
        assertThat(inStep.exitCode()).as(inStep.out() + inStep.err()).isEqualTo(0);
        assertThat(inStep.out()).contains("checked: 1 of 1 records, matching: 1, drifted: 0, missing: 0, not checkable: 0, not sent: 0");

        changeBehindTheBridgesBack("5", "{\"city\":\"Changed\"}");
        ChildProcess.Result drifted = reconcileWith("sandbox", "mapping.file = " + mapping, "--all", export.toString());
        assertThat(drifted.exitCode()).as(drifted.out() + drifted.err()).isEqualTo(3);
        assertThat(reportLines(drifted)).containsExactly(
                "{\"numberid\":\"5\",\"field\":\"city\",\"sent\":\"Győr\",\"dialer\":\"Changed\"}");
    }

    @Test
    void elements_the_field_check_refused_are_counted_as_not_sent_not_as_drift() throws Exception {
        Path updates = Files.writeString(home.resolve("fields.ndjson"), """
                {"numberid":"3","form":{"city":"Pápa"}}
                {"numberid":"4","form":{"city":"Sopron","no_such_field":"x"}}
                """);
        ChildProcess.Result send = ChildProcess.run(environment(), home,
                "send", "--project", "22", "--operation", "modify-records", updates.toString());
        assertThat(send.exitCode()).as(send.err()).isEqualTo(3);
        assertThat(send.out()).contains("error.field_not_exists");

        ChildProcess.Result result = reconcile("sandbox", "--all", updates.toString());

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(0);
        assertThat(result.out()).contains("checked: 1 of 1 records, matching: 1, drifted: 0, missing: 0, not checkable: 0, "
                + "not sent: 1 (refused before sending");
        assertThat(reportLines(result)).isEmpty();
    }

    @Test
    void exits_1_when_the_dialer_cannot_be_read_and_2_on_bad_usage() throws Exception {
        Path updates = Files.writeString(home.resolve("updates.ndjson"), "{\"numberid\":\"1\",\"form\":{\"city\":\"Tata\"}}\n");
        ChildProcess.Result refused = reconcile("wrong-token", updates.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("refused the credentials").doesNotContain("wrong-token");

        StringWriter err = new StringWriter();
        for (String[] usage : List.of(
                new String[]{"reconcile", "--project", "22", "--operation", "modify-records", "--all", "--sample", "3", updates.toString()},
                new String[]{"reconcile", "--project", "22", "--operation", "add-records", updates.toString()},
                new String[]{"reconcile", "--project", "22", "--operation", "modify-records", home.resolve("absent.csv").toString()})) {
            assertThat(DialerBridge.execute(usage, new PrintWriter(new StringWriter()), new PrintWriter(err)))
                    .as(String.join(" ", usage)).isEqualTo(2);
        }
        assertThat(err.toString()).contains("either --all or --sample", "modify-records only", "cannot read file");
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).noneMatch(file -> file.endsWith("reports"));
        }
    }
}
