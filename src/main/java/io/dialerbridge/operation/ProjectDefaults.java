package io.dialerbridge.operation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-project request-level settings from configuration:
 * <ul>
 *   <li>{@code projects.22.defaults.address=Budapest}: the {@code default} object of record
 *       modification, where an element's own values win;</li>
 *   <li>{@code projects.22.disposition.dispositionid=1} (also {@code userid}, {@code next_calldate},
 *       {@code description}): the {@code disposition} object of disposition modification;</li>
 *   <li>{@code projects.22.avoid-in-call=true}: disposition modification's {@code avoid_in_call}.</li>
 * </ul>
 */
public final class ProjectDefaults {

    private static final Pattern KEY = Pattern.compile("projects\\.([^.]+)\\.(defaults|disposition)\\.(.+)");
    private static final Pattern AVOID_IN_CALL = Pattern.compile("projects\\.([^.]+)\\.avoid-in-call");

    /** section ("default" or "disposition") → project → values */
    private final Map<String, Map<String, ObjectNode>> bySection = new TreeMap<>();
    private final Map<String, Boolean> avoidInCall = new TreeMap<>();

    public static ProjectDefaults fromProperties(Map<String, String> properties) {
        ProjectDefaults defaults = new ProjectDefaults();
        properties.forEach((key, value) -> {
            Matcher m = KEY.matcher(key);
            if (m.matches()) {
                String section = m.group(2).equals("defaults") ? "default" : "disposition";
                defaults.bySection.computeIfAbsent(section, s -> new TreeMap<>())
                        .computeIfAbsent(m.group(1), p -> JsonNodeFactory.instance.objectNode())
                        .put(m.group(3), value);
            }
            Matcher a = AVOID_IN_CALL.matcher(key);
            if (a.matches() && value != null && !value.isBlank()) {
                defaults.avoidInCall.put(a.group(1), Boolean.parseBoolean(value.trim()));
            }
        });
        return defaults;
    }

    /**
     * The request-level object named {@code section} ({@code default} or {@code disposition}) for a
     * project, overlaid by the one that came with the source; empty when neither has values.
     */
    public ObjectNode forBatch(String projectId, String section, ObjectNode sourceDefaults) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectNode configured = section == null ? null : bySection.getOrDefault(section, Map.of()).get(projectId);
        if (configured != null) {
            merged.setAll(configured);
        }
        if (sourceDefaults != null) {
            merged.setAll(sourceDefaults);
        }
        return merged;
    }

    /** The configured disposition defaults of every project (to be checked at start). */
    public Map<String, ObjectNode> dispositionDefaults() {
        return Map.copyOf(bySection.getOrDefault("disposition", Map.of()));
    }

    /** {@code projects.<id>.avoid-in-call}, or null when not configured. */
    public Boolean avoidInCall(String projectId) {
        return avoidInCall.get(projectId);
    }
}
