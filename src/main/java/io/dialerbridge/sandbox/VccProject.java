package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One VCC Live project: fields with their values, dispositions and records. Not thread-safe by itself: callers hold
 * the project's monitor ({@code synchronized (project)}) while reading or changing it.
 *
 * <p>Stored values: a text field holds a String; a simple field the Integer id of its value (or null); a multiple
 * field an unmodifiable List of value ids. Read back (GET record) every field is a string: the text, the value id
 * ("12"), or the value ids joined with "|" ("12|13") — the same form the API accepts on writes.
 */
final class VccProject {

    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    static final class Field {
        final int fieldid;
        final String name;
        final String label;
        final String type;
        final List<Value> values = new ArrayList<>();
        final Map<Integer, Value> byId = new HashMap<>();
        final Map<String, Value> byText = new HashMap<>();

        Field(int fieldid, String name, String label, String type) {
            this.fieldid = fieldid;
            this.name = name;
            this.label = label == null || label.isEmpty() ? name : label;
            this.type = type;
        }

        boolean isChoice() {
            return !"text".equals(type);
        }

        void add(Value value) {
            values.add(value);
            byId.put(value.valueid(), value);
            byText.putIfAbsent(key(value.name()), value);
            byText.putIfAbsent(key(value.label()), value);
        }

        ObjectNode toJson() {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("fieldid", fieldid).put("name", name).put("label", label).put("type", type);
            ArrayNode list = node.putArray("values");
            for (Value v : values) {
                list.addObject().put("valueid", v.valueid()).put("name", v.name()).put("label", v.label())
                        .put("export_value", v.exportValue()).put("description", v.description())
                        .put("commission", v.commission()).put("price", v.price());
            }
            return node;
        }
    }

    record Value(int valueid, String name, String label, String exportValue, String description,
                 double commission, double price) {
    }

    record Disposition(int dispositionid, String name, String label) {
    }

    static final class Contact {
        String title = "";
        String name = "";
        String phone = "";
        String email = "";

        ObjectNode toJson() {
            return Json.MAPPER.createObjectNode().put("title", title).put("name", name).put("phone", phone).put("email", email);
        }
    }

    record Event(String date, Integer dispositionid, Integer userid, String nextCalldate, String description,
                 boolean sendDispositionMessages) {
        ObjectNode toJson() {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("date", date);
            putNullable(node, "dispositionid", dispositionid);
            putNullable(node, "userid", userid);
            node.put("next_calldate", nextCalldate);
            node.put("description", description);
            node.put("send_disposition_messages", sendDispositionMessages);
            return node;
        }
    }

    static final class VccRecord {
        final long numberid;
        final Map<String, Object> values = new HashMap<>();
        final TreeMap<Integer, Contact> contacts = new TreeMap<>();
        final List<Event> events = new ArrayList<>();
        String createDate;
        Integer actStatus;
        Integer prefUserid;
        String nextCalldate;
        boolean inCall;
        String phoneField;
        Double premiumPrice;
        Double premiumCommission;

        VccRecord(long numberid, String createDate) {
            this.numberid = numberid;
            this.createDate = createDate;
        }

        Contact contact(int id) {
            return contacts.computeIfAbsent(id, k -> new Contact());
        }
    }

    final int projectid;
    final String name;
    final String status;
    final int folderid;
    final String container;
    final String folder;
    final LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
    final LinkedHashMap<Integer, Disposition> dispositions = new LinkedHashMap<>();
    final TreeMap<Long, VccRecord> records = new TreeMap<>();
    int nextFieldId = 1;
    int nextValueId = 1;
    long nextNumberId = 1;

    VccProject(int projectid, String name, String status, int folderid, String container, String folder) {
        this.projectid = projectid;
        this.name = name;
        this.status = status;
        this.folderid = folderid;
        this.container = container;
        this.folder = folder;
    }

    Field addField(Integer fieldid, String name, String label, String type) {
        int id = fieldid == null ? nextFieldId : fieldid;
        Field field = new Field(id, name, label, type);
        fields.put(name, field);
        nextFieldId = Math.max(nextFieldId, id + 1);
        return field;
    }

    Value addValue(Field field, Integer valueid, String name, String label, String exportValue, String description,
                   double commission, double price) {
        int id = valueid == null ? nextValueId : valueid;
        String text = name == null ? "" : name.trim();
        Value value = new Value(id, text, label == null || label.isBlank() ? text : label,
                exportValue == null ? text : exportValue, description == null ? "" : description, commission, price);
        field.add(value);
        nextValueId = Math.max(nextValueId, id + 1);
        return value;
    }

    VccRecord newRecord(Long numberid) {
        long id = numberid == null ? nextNumberId : numberid;
        VccRecord record = new VccRecord(id, LocalDateTime.now().withNano(0).format(DATE_TIME));
        records.put(id, record);
        nextNumberId = Math.max(nextNumberId, id + 1);
        return record;
    }

    /** Whether contact slot {@code id} exists: 1 always, N >= 2 only when the project has field phoneN. */
    boolean hasContactSlot(int id) {
        return id == 1 || (id >= 2 && id <= 9 && fields.containsKey("phone" + id));
    }

    // ---- writing values as text (contract 1.3) ----

    static String key(String text) {
        return text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    }

    /** Turns a JSON value into what the record stores, creating choice values that do not exist yet. */
    Object store(Field field, JsonNode value) {
        if (!field.isChoice()) {
            String text = Json.text(value);
            return text == null ? "" : text;
        }
        List<String> pieces = pieces(field, value);
        if ("simple".equals(field.type)) {
            return pieces.isEmpty() ? null : lookup(field, pieces.get(0), true).valueid();
        }
        LinkedHashSet<Integer> ids = new LinkedHashSet<>();
        for (String piece : pieces) {
            ids.add(lookup(field, piece, true).valueid());
        }
        return List.copyOf(ids);
    }

    private static List<String> pieces(Field field, JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                String text = Json.text(item);
                if (text != null && !text.trim().isEmpty()) {
                    out.add(text.trim());
                }
            }
            return out;
        }
        String text = Json.text(value);
        if (text == null) {
            return out;
        }
        if ("multiple".equals(field.type)) {
            for (String piece : text.split("\\|")) {
                if (!piece.trim().isEmpty()) {
                    out.add(piece.trim());
                }
            }
        } else if (!text.trim().isEmpty()) {
            out.add(text.trim());
        }
        return out;
    }

    /** Finds a value by id (a numeric text equal to an existing valueid) or by name/label (trimmed, case ignored). */
    Value lookup(Field field, String text, boolean create) {
        String trimmed = text.trim();
        if (!trimmed.isEmpty() && trimmed.length() < 10 && trimmed.chars().allMatch(Character::isDigit)) {
            Value byId = field.byId.get(Integer.parseInt(trimmed));
            if (byId != null) {
                return byId;
            }
        }
        Value byText = field.byText.get(key(trimmed));
        if (byText != null || !create) {
            return byText;
        }
        return addValue(field, null, trimmed, trimmed, trimmed, "", 0, 0);
    }

    /** Search on a field: text equal after trimming (case ignored); choice fields hold every given value. */
    boolean matches(VccRecord record, Field field, JsonNode criterion) {
        Object stored = record.values.get(field.name);
        if (!field.isChoice()) {
            String want = Json.text(criterion);
            String have = stored == null ? "" : (String) stored;
            return key(have).equals(key(want));
        }
        List<String> pieces = pieces(field, criterion);
        if (pieces.isEmpty()) {
            return stored == null || (stored instanceof List<?> l && l.isEmpty());
        }
        for (String piece : pieces) {
            Value value = lookup(field, piece, false);
            if (value == null) {
                return false;
            }
            boolean holds = stored instanceof Integer i ? i == value.valueid()
                    : stored instanceof List<?> list && list.contains(value.valueid());
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    static String display(Field field, Object stored) {
        if (stored == null) {
            return "";
        }
        if (stored instanceof List<?> list) {
            StringBuilder out = new StringBuilder();
            for (Object id : list) {
                if (out.length() > 0) {
                    out.append('|');
                }
                out.append(id);
            }
            return out.toString();
        }
        return stored.toString();
    }

    // ---- JSON views ----

    ObjectNode summaryJson() {
        return Json.MAPPER.createObjectNode().put("projectid", projectid).put("name", name).put("status", status)
                .put("folderid", folderid).put("container", container).put("folder", folder);
    }

    ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        ArrayNode fieldList = node.putArray("fields");
        for (Field f : fields.values()) {
            fieldList.add(f.toJson());
        }
        ArrayNode dispositionList = node.putArray("dispositions");
        for (Disposition d : dispositions.values()) {
            dispositionList.addObject().put("dispositionid", d.dispositionid()).put("name", d.name()).put("label", d.label());
        }
        return node;
    }

    ObjectNode recordJson(VccRecord record, boolean inCall) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("numberid", record.numberid);
        ObjectNode data = node.putObject("data");
        for (Field f : fields.values()) {
            data.put(f.name, display(f, record.values.get(f.name)));
        }
        ObjectNode contacts = node.putObject("contacts");
        for (int i = 1; i <= 9; i++) {
            if (hasContactSlot(i)) {
                Contact c = record.contacts.get(i);
                contacts.set(String.valueOf(i), (c == null ? new Contact() : c).toJson());
            }
        }
        ArrayNode events = node.putArray("events");
        for (Event e : record.events) {
            events.add(e.toJson());
        }
        node.put("create_date", record.createDate);
        putNullable(node, "act_status", record.actStatus);
        putNullable(node, "pref_userid", record.prefUserid);
        node.put("next_calldate", record.nextCalldate);
        node.put("phone_field", record.phoneField);
        if (record.premiumPrice != null || record.premiumCommission != null) {
            ObjectNode premium = node.putObject("premium");
            premium.put("price", record.premiumPrice);
            premium.put("commission", record.premiumCommission);
        }
        node.put("in_call", inCall);
        return node;
    }

    static void putNullable(ObjectNode node, String key, Integer value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    static boolean validDateTime(String text) {
        try {
            LocalDateTime.parse(text, DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    List<VccRecord> allRecords() {
        return Collections.unmodifiableList(new ArrayList<>(records.values()));
    }
}
