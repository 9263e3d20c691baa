package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The end-to-end rate of update-outbound-records against the sandbox, with CometD confirmation and with the HTTP
 * answer alone (docs/BENCHMARKS.md). A measurement, not a check: runs only with {@code -Dbench.genesys=true}.
 */
@EnabledIfSystemProperty(named = "bench.genesys", matches = "true")
@Timeout(600)
class GenesysConfirmationRateTest {

    @TempDir
    Path home;

    @Test
    void prints_the_rate_with_and_without_cometd_confirmation() throws Exception {
        int n = Integer.getInteger("n", 2000);
        for (String mode : new String[]{"cometd", "http"}) {
            ObjectNode seed = (ObjectNode) BridgeHarness.JSON.readTree(SandboxSettings.DEFAULT_SEED_FILE.toFile());
            ArrayNode records = (ArrayNode) seed.path("genesys").path("records");
            for (int h = 1000; h < 1000 + n; h++) {
                records.addObject().put("handle", h).put("campaignName", "Sandbox Campaign").put("callingList", "Sandbox List")
                        .put("phoneNumber", "+361").put("phoneType", "Mobile").put("timeZone", "Europe/Budapest");
            }
            Path file = Files.createTempFile("seed", ".json");
            BridgeHarness.JSON.writeValue(file.toFile(), seed);
            SandboxSettings d = SandboxSettings.defaults();
            Path h = home.resolve(mode);
            try (BridgeHarness harness = BridgeHarness.withSandbox(h, new SandboxSettings(d.host(), 0, d.customer(), d.token(),
                    d.gwsUser(), d.gwsPassword(), file, null))) {
                harness.startBridge(Map.of("gws.application-id", "120", "gws.campaign-name", "Sandbox Campaign",
                        "gws.device-path", "/devices/6f1c0a52-0000-4000-8000-000000000001", "gws.confirm", mode), true);
                StringBuilder lines = new StringBuilder();
                for (int r = 1000; r < 1000 + n; r++) {
                    lines.append("{\"recordHandle\":").append(r).append(",\"phoneNumber\":\"+36100").append(r).append("\"}\n");
                }
                long start = System.nanoTime();
                harness.drop("22", "update-outbound-records", "rate.ndjson", lines.toString());
                JsonNode report = harness.awaitReport("22", "update-outbound-records", "rate.ndjson", Duration.ofMinutes(5));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("RATE mode=%s elements=%d accepted=%d seconds=%.2f rate=%.0f/s%n", mode, n,
                        report.path("accepted").asLong(), seconds, n / seconds);
            }
        }
    }
}
