package io.dialerbridge;

import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A one-shot send starts the embedded sandbox only for a dialer it sends to that is not configured. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneShotSandboxTest {

    @TempDir
    Path home;

    @Test
    void a_vcc_send_with_vcc_configured_starts_no_sandbox_for_genesys() throws Exception {
        try (BridgeHarness harness = BridgeHarness.withSandbox(home)) {
            Path file = Files.writeString(home.resolve("one.ndjson"), "{\"numberid\":\"1\",\"form\":{\"city\":\"Szeged\"}}\n");
            Map<String, String> vccOnly = harness.options(Map.of("gws.base-url", "", "gws.user", "", "gws.password", ""));
            try (Bridge bridge = Bridge.startFor(Operation.MODIFY_RECORDS, vccOnly, "file:config/application.properties")) {
                assertThat(bridge.sandbox()).isNull();
                RunReport report = bridge.send(file, "22", Operation.MODIFY_RECORDS);
                assertThat(report.accepted()).isEqualTo(1);
                assertThat(report.deadLettered()).isZero();
            }
        }
    }

    @Test
    void a_genesys_send_with_genesys_configured_starts_no_sandbox_for_vcc() throws Exception {
        try (BridgeHarness harness = BridgeHarness.withSandbox(home)) {
            Map<String, String> genesysOnly = harness.options(Map.of("vcc.base-url", "", "vcc.customer", "", "vcc.token", ""));
            try (Bridge bridge = Bridge.startFor(Operation.UPDATE_OUTBOUND_RECORDS, genesysOnly,
                    "file:config/application.properties")) {
                assertThat(bridge.sandbox()).isNull();
            }
        }
    }

    @Test
    void the_daemon_still_starts_the_sandbox_for_an_unconfigured_dialer() throws Exception {
        try (BridgeHarness harness = BridgeHarness.withSandbox(home)) {
            Map<String, String> vccOnly = harness.options(Map.of("gws.base-url", "", "gws.user", "", "gws.password", ""));
            try (Bridge bridge = Bridge.start(vccOnly, Path.of("config/application.properties"), false)) {
                assertThat(bridge.sandbox()).isNotNull();
                assertThat(bridge.settings().get("gws.base-url")).isEqualTo(bridge.sandbox().gwsBaseUrl());
            }
        }
    }
}
