package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static io.dialerbridge.sandbox.SandboxHttp.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SandboxSettings, the sandbox.* properties, seeding from the fixture file. */
@Timeout(30)
class SandboxSettingsAndSeedTest {

    @Test
    void defaults_bind_loopback_on_a_free_port_with_sandbox_credentials() {
        SandboxSettings d = SandboxSettings.defaults();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isZero();
        assertThat(List.of(d.customer(), d.token(), d.gwsUser(), d.gwsPassword())).containsOnly("sandbox");
        assertThat(d.faults()).isEqualTo(Faults.none());
        // the tests run in the project folder, where the editable fixture exists
        assertThat(d.seedFile()).isEqualTo(Path.of("config", "sandbox-seed.json"));
    }

    @Test
    void settings_to_string_hides_the_secrets() {
        String text = new SandboxSettings(null, 0, "c", "tok-123", "u", "pw-456", null, null).toString();
        assertThat(text).doesNotContain("tok-123").doesNotContain("pw-456");
    }

    @Test
    void from_properties_reads_every_key() {
        SandboxSettings s = SandboxSettings.fromProperties(props(
                "sandbox.host", "0.0.0.0", "sandbox.port", "8089", "sandbox.customer", "acme", "sandbox.token", "t",
                "sandbox.gws.user", "g", "sandbox.gws.password", "p", "sandbox.seed-file", "/tmp/seed.json",
                "sandbox.faults.reject-credentials", "true"));
        assertThat(s).isEqualTo(new SandboxSettings("0.0.0.0", 8089, "acme", "t", "g", "p", Path.of("/tmp/seed.json"),
                new Faults(null, null, null, null, null, null, null, null, true, null, null)));
        assertThat(SandboxSettings.fromProperties(props("sandbox.seed-file", "classpath")).seedFile()).isNull();
    }

    @Test
    void fault_properties_accept_kebab_case_dotted_paths_lists_and_indices() {
        Faults f = Faults.fromProperties(props(
                "sandbox.faults.seed", "42",
                "sandbox.faults.latency.request-ms", "100",
                "sandbox.faults.latency.element-ms", "2",
                "sandbox.faults.errors.statuses", "502,503",
                "sandbox.faults.errors.every-nth", "10",
                "sandbox.faults.errors.times", "3",
                "sandbox.faults.disconnects.rate", "0.01",
                "sandbox.faults.hangs.max-seconds", "30",
                "sandbox.faults.hangs.times", "1",
                "sandbox.faults.rate-limit.requests-per-second", "5",
                "sandbox.faults.rate-limit.retry-after-seconds", "2",
                "sandbox.faults.element-errors.0.index", "1",
                "sandbox.faults.element-errors.0.error", "error.chosen",
                "sandbox.faults.element-errors.1.field", "city",
                "sandbox.faults.element-errors.1.value", "Nowhere",
                "sandbox.faults.records-in-call", "22/3, 22/4",
                "sandbox.faults.reject-credentials", "false",
                "sandbox.faults.session-ttl-seconds", "60",
                "unrelated.key", "x"));
        assertThat(json(f.toJson())).isEqualTo(json("""
                {"seed":42,"latency":{"requestMs":100,"elementMs":2},
                 "errors":{"statuses":[502,503],"everyNth":10,"times":3},
                 "disconnects":{"rate":0.01},"hangs":{"maxSeconds":30,"times":1},
                 "rateLimit":{"requestsPerSecond":5.0,"retryAfterSeconds":2},
                 "elementErrors":[{"index":1,"error":"error.chosen"},{"field":"city","value":"Nowhere"}],
                 "recordsInCall":[{"projectid":22,"numberid":3},{"projectid":22,"numberid":4}],
                 "rejectCredentials":false,"sessionTtlSeconds":60}"""));
    }

    @Test
    void fault_properties_accept_the_whole_json_form() {
        Faults f = Faults.fromProperties(props("sandbox.faults.json", "{\"errors\":{\"statuses\":[503],\"times\":2}}",
                "sandbox.faults.errors.times", "5"));
        assertThat(f.errors().statuses()).containsExactly(503);
        assertThat(f.errors().times()).as("dotted keys override the JSON").isEqualTo(5);
    }

    @Test
    void fault_properties_with_a_typo_are_refused() {
        assertThatThrownBy(() -> Faults.fromProperties(props("sandbox.faults.errors.evry-nth", "2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evryNth");
    }

    @Test
    void faults_from_properties_are_active_from_the_start() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.fromProperties(props(
                "sandbox.seed-file", "classpath", "sandbox.faults.errors.statuses", "502", "sandbox.faults.errors.times", "1")))) {
            SandboxHttp http = new SandboxHttp(sandbox);
            assertThat(http.vcc("GET", "/projects", null).statusCode()).isEqualTo(502);
            assertThat(http.vcc("GET", "/projects", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void base_urls_point_at_the_bound_port() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults())) {
            assertThat(sandbox.port()).isPositive();
            assertThat(sandbox.vccBaseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port() + "/v2");
            assertThat(sandbox.gwsBaseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
        }
    }

    @Test
    void classpath_seed_is_the_same_as_the_config_fixture() throws Exception {
        try (InputStream in = Sandbox.class.getResourceAsStream("/sandbox-seed.json")) {
            assertThat(in).isNotNull();
            assertThat(SandboxHttp.MAPPER.readTree(in))
                    .isEqualTo(SandboxHttp.MAPPER.readTree(Path.of("config", "sandbox-seed.json").toFile()));
        }
    }

    @Test
    void seed_has_demo_project_22_with_john_smith_from_budapest_and_a_genesys_campaign() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults())) {
            SandboxHttp http = new SandboxHttp(sandbox);
            JsonNode john = http.record(22, 1);
            assertThat(john.at("/data/name").asText()).isEqualTo("John Smith");
            assertThat(john.at("/data/city").asText()).isEqualTo("Budapest");
            for (int n = 1; n <= 5; n++) {
                assertThat(http.vcc("GET", "/projects/22/records/" + n, null).statusCode()).isEqualTo(200);
            }
            assertThat(json(http.admin("GET", "/genesys/records", null))).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.get("campaignName").asText()).isEqualTo("Sandbox Campaign"));
        }
    }

    @Test
    void a_custom_seed_file_is_loaded_and_reset_reads_it_again(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, seed("Alpha"));
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().withSeedFile(seed))) {
            SandboxHttp http = new SandboxHttp(sandbox);
            assertThat(http.record(5, 10).at("/data/name").asText()).isEqualTo("Alpha");
            assertThat(http.record(5, 10).at("/data/tier").asText()).isEqualTo("1");
            assertThat(json(http.vcc("POST", "/projects/5/records", "{\"form\":{\"name\":\"Next\"}}")).at("/response/0").asLong())
                    .as("new records get the next numberid").isEqualTo(11);
            Files.writeString(seed, seed("Beta"));
            http.reset();
            assertThat(http.record(5, 10).at("/data/name").asText()).isEqualTo("Beta");
            assertThat(http.vcc("GET", "/projects/5/records/11", null).statusCode()).isEqualTo(417);
        }
    }

    @Test
    void a_broken_seed_file_fails_the_start_with_a_clear_message(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, "{\"vcc\":{\"projects\":[{\"projectid\":5,\"records\":[{\"numberid\":1,\"data\":{\"nofield\":\"x\"}}]}]}}");
        assertThatThrownBy(() -> Sandbox.start(SandboxSettings.defaults().withSeedFile(seed)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("nofield");
        assertThatThrownBy(() -> Sandbox.start(SandboxSettings.defaults().withSeedFile(dir.resolve("missing.json"))))
                .isInstanceOf(java.io.IOException.class);
    }

    private static String seed(String name) {
        return """
                {"vcc":{"users":[],"projects":[{"projectid":5,"name":"Custom","fields":[
                   {"name":"name","type":"text"},{"name":"tier","type":"simple","values":["gold"]}],
                 "dispositions":[{"dispositionid":1,"name":"callback"}],
                 "records":[{"numberid":10,"data":{"name":"%s","tier":"gold"}}]}]},
                 "genesys":{"campaigns":[],"records":[]}}""".formatted(name);
    }
}
