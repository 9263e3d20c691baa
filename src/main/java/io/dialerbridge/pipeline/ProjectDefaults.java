package io.dialerbridge.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-project defaults from configuration, such as {@code projects.22.defaults.address=Budapest}:
 * they go into the request's {@code default} object, where an element's own values win.
 */
public final class ProjectDefaults {

    private static final Pattern KEY = Pattern.compile("projects\\.([^.]+)\\.defaults\\.(.+)");

    private final Map<String, ObjectNode> byProject = new TreeMap<>();

    public static ProjectDefaults fromProperties(Map<String, String> properties) {
        ProjectDefaults defaults = new ProjectDefaults();
        properties.forEach((key, value) -> {
            Matcher m = KEY.matcher(key);
            if (m.matches()) {
                defaults.byProject.computeIfAbsent(m.group(1), p -> JsonNodeFactory.instance.objectNode())
                        .put(m.group(2), value);
            }
        });
        return defaults;
    }

    /** The defaults for a project (empty when it has none), overlaid by those that came with the source. */
    public ObjectNode forBatch(String projectId, ObjectNode sourceDefaults) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectNode configured = byProject.get(projectId);
        if (configured != null) {
            merged.setAll(configured);
        }
        if (sourceDefaults != null) {
            merged.setAll(sourceDefaults);
        }
        return merged;
    }
}
