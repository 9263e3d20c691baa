package io.dialerbridge.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The bridge's settings: {@code config/application.properties}, where every key may be overridden
 * by an environment variable named after it (upper case, dots and dashes as underscores:
 * {@code vcc.base-url} → {@code VCC_BASE_URL}), then by a JVM system property of the same key, then
 * by the command line.
 */
public final class Settings {

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    public static Settings load(Path file, Map<String, String> environment, Map<String, String> overrides)
            throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
        for (String key : values.keySet()) {
            String fromEnvironment = environment.get(environmentName(key));
            if (fromEnvironment != null) {
                values.put(key, fromEnvironment);
            }
        }
        System.getProperties().stringPropertyNames().stream()
                .filter(values::containsKey)
                .forEach(key -> values.put(key, System.getProperty(key)));
        values.putAll(overrides);
        return new Settings(values);
    }

    public static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("missing setting '" + key + "' (see config/application.properties)");
        }
        return value;
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting '" + key + "' must be a whole number, was '" + get(key) + "'");
        }
    }

    public Duration getMillis(String key) {
        return Duration.ofMillis(getInt(key));
    }

    public boolean isBlank(String key) {
        return values.getOrDefault(key, "").isBlank();
    }

    public Settings with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }
}
