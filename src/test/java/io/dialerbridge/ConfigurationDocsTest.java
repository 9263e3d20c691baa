package io.dialerbridge;

import io.dialerbridge.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration reference follows the settings file, and the environment overrides it. */
class ConfigurationDocsTest {

    @Test
    void every_key_of_the_settings_file_is_in_the_reference() throws Exception {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("config/application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String reference = Files.readString(Path.of("docs/CONFIGURATION.md"), StandardCharsets.UTF_8);
        assertThat(properties.stringPropertyNames()).isNotEmpty()
                .allSatisfy(key -> assertThat(reference).contains("`" + key + "`"));
    }

    @Test
    @Timeout(60)
    void an_environment_variable_named_after_a_key_overrides_it(@TempDir Path scratch) throws Exception {
        Map<String, String> settings = resolvedInAJvmWith(scratch,
                Map.of("BATCH_MAX_ELEMENTS", "123", "VCC_BASE_URL", "https://example.invalid/v2",
                        "KAFKA_BOOTSTRAP_SERVERS", "broker.invalid:9092"),
                "batch.max-elements", "vcc.base-url", "batch.max-in-flight", "kafka.bootstrap-servers");
        assertThat(Integer.parseInt(settings.get("batch.max-elements"))).isEqualTo(123);
        assertThat(settings.get("vcc.base-url")).isEqualTo("https://example.invalid/v2");
        assertThat(settings.get("batch.max-in-flight")).isEqualTo("4");
        assertThat(settings.get("kafka.bootstrap-servers")).isEqualTo("broker.invalid:9092");
    }

    @Test
    void a_command_line_option_overrides_the_file() {
        Settings settings = Settings.load(Path.of("config/application.properties"), Map.of("batch.max-elements", "7"));
        assertThat(settings.get("batch.max-elements")).isEqualTo("7");
        assertThat(settings.get("batch.max-in-flight")).isEqualTo("4");
        assertThat(settings.get("camel.management.port")).isEqualTo("9876");
    }

    /** Resolves keys the way the bridge does, in a child JVM whose environment is {@code environment}. */
    private static Map<String, String> resolvedInAJvmWith(Path scratch, Map<String, String> environment, String... keys)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PrintSettings.class.getName()));
        command.addAll(List.of(keys));
        Path out = scratch.resolve("settings.properties");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(scratch.resolve("err.txt").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(50, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
        assertThat(process.exitValue()).as(Files.readString(scratch.resolve("err.txt"))).isZero();
        Properties printed = new Properties();
        try (Reader in = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            printed.load(in);
        }
        Map<String, String> settings = new HashMap<>();
        printed.stringPropertyNames().forEach(key -> settings.put(key, printed.getProperty(key)));
        return settings;
    }

    /** Prints the given keys of config/application.properties as Camel resolves them in this JVM. */
    public static final class PrintSettings {
        public static void main(String[] keys) {
            Settings settings = Settings.load(Path.of("config/application.properties"), Map.of());
            Properties resolved = new Properties();
            for (String key : keys) {
                resolved.setProperty(key, settings.get(key));
            }
            resolved.list(System.out);
        }
    }
}
