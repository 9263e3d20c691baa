package io.dialerbridge.config;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads of the bridge's settings as Camel resolves them (see docs/CONFIGURATION.md): a key of
 * {@code config/application.properties}, overridden by the command line, a JVM system property
 * {@code -Dkey=value}, then an environment variable named after it ({@code vcc.base-url} →
 * {@code VCC_BASE_URL}). The Java that decides what Camel cannot express reads them through this.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /**
     * The settings of {@code file} with {@code options} (the command line's) over it, resolved as a
     * running bridge resolves them, for the commands that start no bridge.
     */
    public static Settings load(Path file, Map<String, String> options) {
        return load("file:" + file.toAbsolutePath(), options);
    }

    /** As {@link #load(Path, Map)}, from a Camel location ({@code file:…} or {@code classpath:…}). */
    public static Settings load(String location, Map<String, String> options) {
        CamelContext context = new DefaultCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.setLocation(location);
        options.forEach(properties::addOverrideProperty);
        context.build();
        return new Settings(properties);
    }

    public String get(String key) {
        return properties.resolveProperty(key).map(String::trim).orElseThrow(() ->
                new IllegalStateException("missing setting '" + key + "' (see config/application.properties)"));
    }

    public boolean isBlank(String key) {
        return properties.resolveProperty(key).map(String::isBlank).orElse(true);
    }

    /** Every key under {@code prefix} (such as {@code projects.}) with its resolved value. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> values = new TreeMap<>();
        properties.loadProperties(key -> key.startsWith(prefix)).stringPropertyNames()
                .forEach(key -> values.put(key, get(key)));
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(prefix))
                .forEach(key -> values.put(key, get(key)));
        return values;
    }
}
