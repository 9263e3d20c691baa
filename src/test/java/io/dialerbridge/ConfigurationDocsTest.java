package io.dialerbridge;

import io.dialerbridge.config.Settings;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

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
    void an_environment_variable_named_after_a_key_overrides_it() throws Exception {
        Settings settings = Settings.load(Path.of("config/application.properties"),
                Map.of("BATCH_MAX_ELEMENTS", "123", "VCC_BASE_URL", "https://example.invalid/v2"), Map.of());
        assertThat(settings.getInt("batch.max-elements")).isEqualTo(123);
        assertThat(settings.get("vcc.base-url")).isEqualTo("https://example.invalid/v2");
        assertThat(settings.get("batch.max-in-flight")).isEqualTo("4");
        assertThat(Settings.environmentName("kafka.bootstrap-servers")).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
    }
}
