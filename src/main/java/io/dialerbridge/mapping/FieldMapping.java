package io.dialerbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.Operation;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The field mapping of {@code mapping.file}: per project and operation, what each field the dialer
 * takes is read from in the input, by a dotted path ({@code address.town}). Nested targets are nested
 * objects ({@code form: {city: town}}). Mapped fields are taken by path; a missing source path leaves
 * the target unset; unmapped input fields are dropped, or, with {@code mapping.strict}, the element is
 * refused ({@code error.unmapped_field}). Inputs of a project and operation without a mapping pass as
 * they are. A mapped element keeps its input as it came in {@link Element#raw()}, for its dead letter.
 */
public final class FieldMapping {

    /** No mapping: every input passes as it is. */
    public static final FieldMapping NONE = new FieldMapping(Map.of(), false);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> targets;
    private final boolean strict;

    private FieldMapping(Map<String, ObjectNode> targets, boolean strict) {
        this.targets = Map.copyOf(targets);
        this.strict = strict;
    }

    /** Reads a mapping file (YAML: project, then operation, then the target fields). */
    public static FieldMapping load(Path file, boolean strict) throws IOException {
        Object document;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Load(LoadSettings.builder().build()).loadFromReader(reader);
        }
        return of(document == null ? JSON.createObjectNode() : JSON.valueToTree(document), strict, file.toString());
    }

    /** A mapping from its tree (project, then operation, then the target fields); {@code where} names it in errors. */
    static FieldMapping of(JsonNode tree, boolean strict, String where) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException(where + ": a mapping maps projects to operations to fields");
        }
        Map<String, ObjectNode> targets = new HashMap<>();
        tree.fields().forEachRemaining(project -> {
            if (!project.getValue().isObject()) {
                throw new IllegalArgumentException(where + ": project " + project.getKey() + " must map operations to fields");
            }
            project.getValue().fields().forEachRemaining(operation -> {
                String at = where + ": " + project.getKey() + "." + operation.getKey();
                Operation op = Operation.fromId(operation.getKey());
                if (!operation.getValue().isObject()) {
                    throw new IllegalArgumentException(at + " must map fields to input paths");
                }
                checkTargets(operation.getValue(), at);
                targets.put(key(project.getKey(), op), (ObjectNode) operation.getValue());
            });
        });
        return new FieldMapping(targets, strict);
    }

    /** Whether inputs of this project and operation are mapped (CSV columns then keep their names). */
    public boolean maps(String projectId, Operation operation) {
        return targets.containsKey(key(projectId, operation));
    }

    /** The element with its body mapped, refused in strict mode when the input has unmapped fields. */
    public Element apply(Element element) {
        ObjectNode target = element.body() == null || !element.isValid() ? null
                : targets.get(key(element.projectId(), element.operation()));
        if (target == null) {
            return element;
        }
        ObjectNode input = element.body();
        String original = element.raw() != null ? element.raw() : input.toString();
        Element mapped = new Element(element.id(), element.projectId(), element.operation(), map(target, input),
                original, element.source(), element.defaults(), null, element.rawBytes());
        if (strict) {
            Set<String> unmapped = new TreeSet<>();
            unmapped(input, "", sources(target, new TreeSet<>()), unmapped);
            if (!unmapped.isEmpty()) {
                return mapped.rejected(Rejection.beforeSending("error.unmapped_field",
                        "the input has fields the mapping does not name (mapping.strict): " + String.join(", ", unmapped)));
            }
        }
        return mapped;
    }

    private static ObjectNode map(ObjectNode target, JsonNode input) {
        ObjectNode out = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isObject()) {
                ObjectNode nested = map((ObjectNode) field.getValue(), input);
                if (!nested.isEmpty()) {
                    out.set(field.getKey(), nested);
                }
                continue;
            }
            JsonNode value = input;
            for (String step : field.getValue().asText().split("\\.")) {
                value = value == null ? null : value.get(step);
            }
            if (value != null && !value.isMissingNode()) {
                out.set(field.getKey(), value.deepCopy());
            }
        }
        return out;
    }

    private static Set<String> sources(ObjectNode target, Set<String> into) {
        target.elements().forEachRemaining(value -> {
            if (value.isObject()) {
                sources((ObjectNode) value, into);
            } else {
                into.add(value.asText());
            }
        });
        return into;
    }

    /** Input paths that no source path takes: neither named, nor inside a named object, nor on the way to one. */
    private static void unmapped(JsonNode input, String prefix, Set<String> sources, Set<String> into) {
        input.fieldNames().forEachRemaining(name -> {
            String path = prefix + name;
            if (sources.contains(path) || (prefix.isEmpty() && name.equals("projectid"))) {
                return;
            }
            boolean onTheWay = sources.stream().anyMatch(source -> source.startsWith(path + "."));
            if (onTheWay && input.get(name).isObject()) {
                unmapped(input.get(name), path + ".", sources, into);
            } else {
                into.add(path);
            }
        });
    }

    private static void checkTargets(JsonNode target, String at) {
        List<String> wrong = new ArrayList<>();
        target.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                checkTargets(field.getValue(), at + "." + field.getKey());
            } else if (!field.getValue().isTextual() || field.getValue().asText().isBlank()) {
                wrong.add(field.getKey());
            }
        });
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(at + ": " + wrong + " must each name an input path (such as address.town)");
        }
    }

    private static String key(String projectId, Operation operation) {
        return projectId + "/" + operation.id();
    }
}
