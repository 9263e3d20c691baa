package io.dialerbridge.fields;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.operation.Operation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated projects (fields of every type, with values) and generated modify-records elements: the
 * check's verdict is what a plain model of contract 1.3 says (unknown field refused; a choice piece
 * matched by name, label or id, case and spaces ignored; anything else a new value).
 */
class FieldCheckProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = List.of("city", "likes", "segment", "zip", "tier");
    private static final List<String> TEXTS = List.of("gold", "Gold ", "silver", "chess", "1", "2", "7", " ", "a|b", "gold|chess");

    record Field(String name, String type, List<String> values) {
    }

    @Provide
    Arbitrary<List<Field>> projects() {
        Arbitrary<Field> field = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of("text", "simple", "multiple"),
                Arbitraries.of("gold", "silver", "chess", "b").list().ofMaxSize(3).uniqueElements()).as(Field::new);
        return field.list().ofMaxSize(4).uniqueElements(Field::name);
    }

    @Provide
    Arbitrary<Map<String, String>> forms() {
        return Arbitraries.maps(Arbitraries.of(NAMES), Arbitraries.of(TEXTS)).ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 300)
    void the_verdict_is_the_models(@ForAll("projects") List<Field> project, @ForAll("forms") Map<String, String> form,
                                   @ForAll boolean refuse) {
        ObjectNode described = JSON.createObjectNode();
        ArrayNode fields = described.putArray("fields");
        Map<String, Field> byName = new LinkedHashMap<>();
        int id = 1;
        for (Field f : project) {
            byName.put(f.name(), f);
            ObjectNode node = fields.addObject().put("name", f.name()).put("type", f.type());
            ArrayNode values = node.putArray("values");
            for (String v : f.values()) {
                values.addObject().put("valueid", id++).put("name", v).put("label", v.toUpperCase(Locale.ROOT));
            }
        }
        // value ids of the project: 1.. in order of the values above
        Map<String, Set<String>> idsByField = new TreeMap<>();
        int next = 1;
        for (Field f : project) {
            for (int i = 0; i < f.values().size(); i++) {
                idsByField.computeIfAbsent(f.name(), k -> new TreeSet<>()).add(String.valueOf(next++));
            }
        }
        ObjectNode element = JSON.createObjectNode().put("numberid", "1");
        ObjectNode formNode = element.putObject("form");
        form.forEach(formNode::put);

        FieldCheck.Verdict verdict = FieldCheck.check(ProjectFields.of(described), Operation.MODIFY_RECORDS, element, null,
                refuse ? FieldCheck.NewValues.REFUSE : FieldCheck.NewValues.ALLOW);

        // the model
        String unknown = form.keySet().stream().filter(name -> !byName.containsKey(name)).findFirst().orElse(null);
        Map<String, Set<String>> created = new TreeMap<>();
        if (unknown == null) {
            form.forEach((name, text) -> {
                Field f = byName.get(name);
                if (f.type().equals("text")) {
                    return;
                }
                List<String> pieces = new ArrayList<>();
                for (String piece : f.type().equals("multiple") ? text.split("\\|") : new String[] {text}) {
                    if (!piece.isBlank()) {
                        pieces.add(piece.trim());
                    }
                }
                for (String piece : pieces) {
                    boolean exists = f.values().stream().anyMatch(v -> v.equalsIgnoreCase(piece))
                            || idsByField.getOrDefault(name, Set.of()).contains(piece);
                    if (!exists) {
                        created.computeIfAbsent(name, k -> new TreeSet<>()).add(piece);
                    }
                }
            });
        }
        if (unknown != null) {
            assertThat(verdict.rejection().error()).isEqualTo("error.field_not_exists");
            assertThat(verdict.rejection().message()).contains("'" + unknown + "'");
        } else if (!created.isEmpty() && refuse) {
            assertThat(verdict.rejection().error()).isEqualTo("error.new_field_value");
        } else {
            assertThat(verdict.passed()).isTrue();
            Map<String, Set<String>> got = new TreeMap<>();
            verdict.newValues().forEach((k, v) -> got.put(k, new TreeSet<>(v)));
            assertThat(got).isEqualTo(created);
        }
    }
}
