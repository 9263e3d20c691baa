package io.dialerbridge.fields;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A project's fields as the dialer describes them ({@code GET /v2/projects/{id}}): their names and
 * types ({@code text}, {@code simple}, {@code multiple}), the values of the choice fields, and the
 * project's dispositions. Reconciliation maps a record read back (choice fields come back as value
 * ids) to the text that was sent; the pre-flight field check ({@link FieldCheck}) asks which fields
 * and values exist before anything is sent.
 */
public final class ProjectFields {

    private final Map<String, Field> byName = new HashMap<>();
    private final Set<String> dispositionIds = new HashSet<>();

    private record Field(String type, boolean choice, Map<String, String> nameById, Map<String, String> idByText) {
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
            String type = field.path("type").asText("text");
            fields.byName.put(field.path("name").asText(), new Field(type, !"text".equals(type), nameById, idByText));
        }
        for (JsonNode disposition : project.path("dispositions")) {
            fields.dispositionIds.add(disposition.path("dispositionid").asText());
        }
        return fields;
    }

    /** Whether the project has a field of that name. */
    public boolean has(String field) {
        return byName.containsKey(field);
    }

    /** The field's type ({@code text}, {@code simple}, {@code multiple}), null when the project has no such field. */
    public String type(String field) {
        Field f = byName.get(field);
        return f == null ? null : f.type();
    }

    /**
     * Whether the choice field {@code field} already has the value {@code piece}: a value whose name or
     * label is that text (spaces trimmed, case ignored), or whose id it is (contract 1.3).
     */
    public boolean hasValue(String field, String piece) {
        Field f = byName.get(field);
        return f != null && (f.nameById().containsKey(piece.trim()) || f.idByText().containsKey(key(piece)));
    }

    /** Whether the project has a disposition with this id. */
    public boolean hasDisposition(String dispositionid) {
        return dispositionIds.contains(dispositionid.trim());
    }

    /** The project's field names, sorted. */
    public Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
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
    static List<String> pieces(String text) {
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
