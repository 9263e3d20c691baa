package io.dialerbridge;

import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge started in a folder with no config/ and no routes/ runs on the settings and routes inside the jar. */
@Timeout(120)
class EmbeddedDefaultsTest {

    @TempDir
    Path folder;

    @Test
    void sends_from_an_empty_folder_on_the_embedded_settings_and_routes() throws Exception {
        Path input = Files.writeString(folder.resolve("ok.ndjson"), "{\"numberid\":\"1\",\"form\":{\"city\":\"Tata\"}}\n");
        Path out = folder.resolve("out.txt");
        Path err = folder.resolve("err.txt");
        try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults())) {
            Process process = ChildProcess.start(folder, Map.of("VCC_BASE_URL", sandbox.vccBaseUrl(),
                            "VCC_CUSTOMER", "sandbox", "VCC_TOKEN", "sandbox"), out, err,
                    "send", "--project", "22", "--operation", "modify-records", input.toString());
            assertThat(process.waitFor(100, TimeUnit.SECONDS)).isTrue();

            String errText = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(errText).isZero();
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("total: elements: 1, accepted: 1, dead-lettered: 0");
            assertThat(errText).contains("running the routes inside the jar");
            assertThat(folder.resolve("data")).isDirectory();
        }
    }
}
