package io.dialerbridge.reconcile;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A project's fields as the dialer describes them ({@code GET /v2/projects/{id}}): which are choice
 * fields, and their values, so that a record read back (choice fields come back as value ids) can be
 * compared with the text that was sent.
 */
public final class ProjectFields {

    private final Map<String, Field> byName = new HashMap<>();

    private record Field(boolean choice, Map<String, String> nameById, Map<String, String> idByText) {
    }

    /** From the {@code response} of {@code GET /v2/projects/{id}}: {@code {"fields":[{name,type,values}]}}. */
    public static ProjectFields of(JsonNode project) {
        ProjectFields fields = new ProjectFields();
        for (JsonNode field : project.path("fields")) {
            Map<String, String> nameById = new HashMap<>();
            Map<String, String> idByText = new HashMap<>();
            for (JsonNode value : field.path("values")) {
                String id = value.path("valueid").asText();
                nameById.put(id, value.path("name").asText());
                idByText.putIfAbsent(key(value.path("name").asText()), id);
                idByText.putIfAbsent(key(value.path("label").asText()), id);
            }
            fields.byName.put(field.path("name").asText(),
                    new Field(!"text".equals(field.path("type").asText("text")), nameById, idByText));
        }
        return fields;
    }

    /** Whether the text sent for {@code field} is what the dialer stores ({@code stored}, null when absent). */
    public boolean matches(String field, String sent, String stored) {
        Field f = byName.get(field);
        if (f == null || stored == null) {
            return false;
        }
        if (!f.choice()) {
            return sent.equals(stored);
        }
        Set<String> sentIds = new LinkedHashSet<>();
        for (String piece : pieces(sent)) {
            String byText = f.idByText().get(key(piece));
            sentIds.add(f.nameById().containsKey(piece) ? piece : byText != null ? byText : "?" + piece);
        }
        return sentIds.equals(new LinkedHashSet<>(pieces(stored)));
    }

    /** What the dialer stores, as text: a choice field's value ids as their names, several joined by {@code |}. */
    public String asText(String field, String stored) {
        Field f = byName.get(field);
        if (f == null || stored == null || !f.choice()) {
            return stored;
        }
        List<String> names = new ArrayList<>();
        for (String id : pieces(stored)) {
            names.add(f.nameById().getOrDefault(id, id));
        }
        return String.join("|", names);
    }

    /** The pieces of a choice value ({@code |}-separated, trimmed, empty ones left out). */
    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (String piece : text.split("\\|")) {
            if (!piece.isBlank()) {
                pieces.add(piece.trim());
            }
        }
        return pieces;
    }

    private static String key(String text) {
        return text.trim().toLowerCase(Locale.ROOT);
    }
}
