package io.dialerbridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The documented settings: the keys of {@code config/application.properties} as shipped (bundled in
 * the jar, so that a settings file of the user's own is checked against it), with the kind of value
 * each default shows. Under the bridge's own namespaces ({@code vcc.}, {@code batch.}, {@code retry.},
 * …; not Camel's {@code camel.}) a key or environment variable that no code reads is refused, with
 * the documented key nearest to it, and so is a value that is not of its default's kind: a whole
 * number, a decimal number, {@code true} or {@code false}.
 */
public final class SettingsReference {

    private static final String RESOURCE = "/dialer-bridge/config/application.properties";

    /** Documented keys the settings file only shows as examples, or that the command sets itself. */
    private static final List<Pattern> OPEN_KEYS = List.of(
            Pattern.compile("projects\\.[^.]+\\.defaults\\..+"),
            Pattern.compile("projects\\.[^.]+\\.disposition\\.(dispositionid|userid|next_calldate|description)"),
            Pattern.compile("projects\\.[^.]+\\.avoid-in-call"),
            Pattern.compile("projects\\.[^.]+\\.sync\\.mode"),
            Pattern.compile("sandbox\\.faults\\..+"),
            Pattern.compile("sandbox\\.request-log\\.capacity"),
            Pattern.compile("ingest\\.file\\.enabled"));
    private static final Pattern BOOLEAN_KEY = Pattern.compile("projects\\.[^.]+\\.avoid-in-call");

    /** Environment variables of the bridge that are no setting: the settings file, and the log level. */
    private static final Set<String> OTHER_VARIABLES = Set.of("BRIDGE_CONFIG", "BRIDGE_LOG_LEVEL");
    /**
     * The variables Kubernetes (and Docker's links) set for every service: a service named kafka,
     * cluster or batch gives KAFKA_SERVICE_HOST, CLUSTER_PORT_443_TCP_ADDR and the like. Never settings.
     */
    private static final java.util.regex.Pattern SERVICE_LINK = java.util.regex.Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT|PORT_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");

    private static final Pattern WHOLE = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");

    private final Map<String, String> defaults;
    private final Set<String> namespaces = new TreeSet<>();

    public SettingsReference(Map<String, String> defaults) {
        this.defaults = new TreeMap<>(defaults);
        defaults.keySet().forEach(key -> namespaces.add(key.substring(0, key.indexOf('.') + 1)));
        namespaces.add("projects.");
        namespaces.remove("camel.");
    }

    /** The reference bundled with the bridge. */
    public static SettingsReference bundled() {
        Properties shipped = new Properties();
        try (InputStream in = SettingsReference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the settings reference " + RESOURCE + " is not on the class path");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                shipped.load(reader);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> defaults = new TreeMap<>();
        shipped.stringPropertyNames().forEach(key -> defaults.put(key, shipped.getProperty(key).trim()));
        return new SettingsReference(defaults);
    }

    /** The bridge's own namespaces, such as {@code batch.} and {@code vcc.}. */
    public Set<String> namespaces() {
        return Set.copyOf(namespaces);
    }

    /** Whether the key is in one of the bridge's own namespaces (and so must be documented). */
    public boolean isBridgeKey(String key) {
        return namespaces.stream().anyMatch(key::startsWith);
    }

    /**
     * Why this setting cannot work, or null: a key of the bridge's namespaces that is not documented,
     * or a value that is not of the kind its documented default shows.
     */
    public String problem(String key, String value) {
        if (!isBridgeKey(key)) {
            return null;
        }
        if (!defaults.containsKey(key) && OPEN_KEYS.stream().noneMatch(p -> p.matcher(key).matches())) {
            return "unknown setting " + key + nearest(key, defaults.keySet());
        }
        String example = BOOLEAN_KEY.matcher(key).matches() ? "false" : defaults.get(key);
        if (example == null || example.isEmpty()) {
            return null;
        }
        String shown = value.isEmpty() ? "empty" : "'" + value + "'";
        if (example.equals("true") || example.equals("false")) {
            return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
                    : key + " is " + shown + ": it takes true or false";
        }
        boolean whole = WHOLE.matcher(example).matches();
        if (!whole && !DECIMAL.matcher(example).matches()) {
            return null;
        }
        if (!(whole ? WHOLE : DECIMAL).matcher(value).matches()) {
            return key + " is " + shown + ": it takes " + (whole ? "a whole number" : "a number") + ", such as " + example;
        }
        double lowest = Math.min(0, Double.parseDouble(example));
        if (Double.parseDouble(value) < lowest) {
            return key + " is " + value + ": it cannot be " + (lowest < 0 ? "below " + (long) lowest : "negative");
        }
        return null;
    }

    /**
     * Why this environment variable cannot work, or null: a name in one of the bridge's namespaces
     * ({@code BATCH_…}, {@code VCC_…}) that is no documented key's, nor one of {@code keysInUse}'s
     * (such as per-project keys of the settings file).
     */
    public String unknownVariable(String name, Set<String> keysInUse) {
        boolean bridgeVariable = namespaces.stream().anyMatch(namespace -> name.startsWith(variableOf(namespace)));
        if (!bridgeVariable || OTHER_VARIABLES.contains(name)) {
            return null;
        }
        if (SERVICE_LINK.matcher(name).matches() && !isKnownVariable(name, keysInUse)) {
            return null;
        }
        Set<String> variables = new TreeSet<>();
        defaults.keySet().stream().filter(this::isBridgeKey).forEach(key -> variables.add(variableOf(key)));
        keysInUse.forEach(key -> variables.add(variableOf(key)));
        return variables.contains(name) ? null : "unknown environment variable " + name + nearest(name, variables);
    }

    private boolean isKnownVariable(String name, Set<String> keysInUse) {
        return defaults.keySet().stream().anyMatch(key -> variableOf(key).equals(name))
                || keysInUse.stream().anyMatch(key -> variableOf(key).equals(name));
    }

    /** The environment variable Camel reads for a key: {@code vcc.base-url} → {@code VCC_BASE_URL}. */
    public static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String nearest(String name, Set<String> known) {
        return known.stream().filter(candidate -> distance(name, candidate) <= Math.max(2, name.length() / 6))
                .min(Comparator.comparingInt((String candidate) -> distance(name, candidate)))
                .map(candidate -> ": did you mean " + candidate + "?")
                .orElse(" (not in docs/CONFIGURATION.md)");
    }

    /** Edit distance (insertions, deletions, substitutions). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
