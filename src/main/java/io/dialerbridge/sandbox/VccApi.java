package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The VCC Live Database API v2 endpoints (contract 1.5 and 1.6), below {@code /v2}. Auth is checked by the caller. */
final class VccApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern FIELD_NAME = Pattern.compile("^[a-z_][a-z0-9_]*$");
    private static final Pattern PHONE_FIELD = Pattern.compile("^phone[1-9]$");
    private static final Set<String> DISPOSITION_SEARCH_KEYS = Set.of("numberid", "pref_userid", "act_status");
    private static final Set<String> FIELD_TYPES = Set.of("text", "simple", "multiple");

    private final Supplier<VccState> state;
    private final FaultInjector faults;

    VccApi(Supplier<VccState> state, FaultInjector faults) {
        this.state = state;
        this.faults = faults;
    }

    /** The project id addressed by a /v2 path, or null. Used for the per-project rate limit. */
    static Integer projectIdOf(String path) {
        String[] segs = segments(path);
        if (segs.length >= 3 && segs[1].equals("projects")) {
            return parseInt(segs[2]);
        }
        return null;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.split("/");
    }

    SandboxReply handle(SandboxRequest req) {
        String[] s = segments(req.path()); // s[0] = "v2"
        String m = req.method();
        int n = s.length;
        if (n == 2 && s[1].equals("projects")) {
            return "GET".equals(m) ? listProjects() : methodNotAllowed();
        }
        if (n < 3 || !s[1].equals("projects")) {
            return notFound();
        }
        // Route first (so that a wrong path is 404 error.not_found), then look the project up.
        String route;
        if (n == 3) {
            route = "GET".equals(m) ? "project" : null;
        } else if (n == 4 && s[3].equals("fields")) {
            route = "POST".equals(m) ? "add-field" : null;
        } else if (n == 4 && s[3].equals("records")) {
            route = "PUT".equals(m) ? "modify-records" : "POST".equals(m) ? "add-records" : null;
        } else if (n == 5 && s[3].equals("records") && s[4].equals("dispositions")) {
            route = "PUT".equals(m) ? "modify-dispositions" : null;
        } else if (n == 5 && s[3].equals("records")) {
            route = "GET".equals(m) ? "get-record" : "PUT".equals(m) ? "modify-record" : null;
        } else if (n == 7 && s[3].equals("records") && s[5].equals("contacts")) {
            route = "PUT".equals(m) ? "modify-contacts" : null;
        } else {
            return notFound();
        }
        if (route == null) {
            return methodNotAllowed();
        }
        Integer projectid = parseInt(s[2]);
        VccProject project = projectid == null ? null : state.get().projects.get(projectid);
        if (project == null) {
            return SandboxReply.vccError(404, 404, "error.project_not_exists");
        }
        return switch (route) {
            case "project" -> getProject(project);
            case "add-field" -> addField(project, req);
            case "modify-records" -> modifyRecords(project, req);
            case "add-records" -> addRecord(project, req);
            case "modify-dispositions" -> modifyDispositions(project, req);
            case "get-record" -> getRecord(project, s[4]);
            case "modify-record" -> modifyRecord(project, s[4], req);
            case "modify-contacts" -> modifyContact(project, s[4], s[6], req);
            default -> notFound();
        };
    }

    // ---- 1.6 inspection ----

    private SandboxReply listProjects() {
        ArrayNode list = NODES.arrayNode();
        for (VccProject p : state.get().projects.values()) {
            synchronized (p) {
                list.add(p.summaryJson());
            }
        }
        return SandboxReply.vccOk(list);
    }

    private SandboxReply getProject(VccProject p) {
        synchronized (p) {
            return SandboxReply.vccOk(p.toJson());
        }
    }

    private SandboxReply getRecord(VccProject p, String numberidText) {
        Long numberid = parseLong(numberidText);
        synchronized (p) {
            VccProject.VccRecord r = numberid == null ? null : p.records.get(numberid);
            if (r == null) {
                return failed("error.record_not_exists");
            }
            return SandboxReply.vccOk(p.recordJson(r, inCall(p, r)));
        }
    }

    private SandboxReply addField(VccProject p, SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (!(body instanceof ObjectNode)) {
            return wrongFormat();
        }
        String name = Json.text(body.get("name"));
        String type = Json.text(body.get("type"));
        if (name == null || !FIELD_NAME.matcher(name).matches()) {
            return failed("error.wrong_field_name");
        }
        if (type == null || !FIELD_TYPES.contains(type)) {
            return failed("error.wrong_field_type");
        }
        JsonNode values = body.get("values");
        if (values != null && !values.isNull() && !values.isArray()) {
            return wrongFormat();
        }
        synchronized (p) {
            if (p.fields.containsKey(name)) {
                return failed("error.field_exists");
            }
            VccProject.Field field = p.addField(null, name, Json.text(body.get("label")), type);
            if (field.isChoice() && values != null) {
                for (JsonNode v : values) {
                    if (v.isObject()) {
                        String valueName = Json.text(v.get("name"));
                        if (valueName == null || valueName.isBlank()) {
                            continue;
                        }
                        if (p.lookup(field, valueName, false) == null) {
                            p.addValue(field, null, valueName, Json.text(v.get("label")), Json.text(v.get("export_value")),
                                    Json.text(v.get("description")), v.path("commission").asDouble(0), v.path("price").asDouble(0));
                        }
                    } else {
                        String text = Json.text(v);
                        if (text != null && !text.isBlank() && p.lookup(field, text, false) == null) {
                            p.addValue(field, null, text, text, text, "", 0, 0);
                        }
                    }
                }
            }
            return SandboxReply.vccOk(NODES.numberNode(field.fieldid));
        }
    }

    // ---- 1.5 batch record modification ----

    private SandboxReply modifyRecords(VccProject p, SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (!(body instanceof ObjectNode) || !body.path("elements").isArray()) {
            return wrongFormat();
        }
        JsonNode def = body.get("default");
        if (def != null && !def.isNull() && !def.isObject()) {
            return wrongFormat();
        }
        ObjectNode defaults = def instanceof ObjectNode o && o.size() > 0 ? o : null;
        JsonNode elements = body.get("elements");
        for (int i = 0; i < elements.size(); i++) {
            JsonNode form = elements.get(i).path("form");
            JsonNode merged = defaults == null || !form.isObject() ? form : defaults.deepCopy().setAll((ObjectNode) form);
            if (faults.rejectsRequest("modify-records", p.projectid, i, merged)) {
                return wrongFormat();
            }
        }
        ObjectNode response = NODES.objectNode();
        ArrayNode errors = NODES.arrayNode();
        synchronized (p) {
            for (int i = 0; i < elements.size(); i++) {
                String error = modifyElement(p, elements.get(i), defaults, i);
                record(response, errors, i, error);
            }
        }
        SandboxReply reply = SandboxReply.vcc(200, errors, response);
        reply.elements = elements.size();
        return reply;
    }

    private String modifyElement(VccProject p, JsonNode element, ObjectNode defaults, int index) {
        if (!element.isObject()) {
            return "error.wrong_request_format";
        }
        JsonNode form = element.get("form");
        if (form == null || !form.isObject()) {
            return "error.missing_form";
        }
        ObjectNode merged = defaults == null ? (ObjectNode) form : defaults.deepCopy().setAll((ObjectNode) form);
        String injected = faults.elementError("modify-records", p.projectid, index, merged);
        if (injected != null) {
            return injected;
        }
        JsonNode numberid = present(element.get("numberid"));
        JsonNode search = present(element.get("search"));
        String selector = selectorError(numberid, search);
        if (selector != null) {
            return selector;
        }
        String unknown = unknownField(p, merged);
        if (unknown != null) {
            return unknown;
        }
        List<VccProject.VccRecord> targets;
        if (numberid != null) {
            Long id = parseLong(Json.text(numberid));
            VccProject.VccRecord r = id == null ? null : p.records.get(id);
            if (r == null) {
                return "error.record_not_exists";
            }
            targets = List.of(r);
        } else {
            if (!search.isObject() || search.size() == 0) {
                return "error.missing_numberid_or_search";
            }
            for (Iterator<String> it = search.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("numberid") && !p.fields.containsKey(key)) {
                    return "error.field_not_exists";
                }
            }
            targets = searchByFields(p, search);
            if (targets.isEmpty()) {
                return "error.record_not_found";
            }
        }
        applyForm(p, merged, targets);
        return null;
    }

    private static List<VccProject.VccRecord> searchByFields(VccProject p, JsonNode search) {
        List<VccProject.VccRecord> out = new ArrayList<>();
        for (VccProject.VccRecord r : p.records.values()) {
            boolean all = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = search.fields(); it.hasNext() && all; ) {
                Map.Entry<String, JsonNode> c = it.next();
                if (c.getKey().equals("numberid")) {
                    all = String.valueOf(r.numberid).equals(trimmed(c.getValue()));
                } else {
                    all = p.matches(r, p.fields.get(c.getKey()), c.getValue());
                }
            }
            if (all) {
                out.add(r);
            }
        }
        return out;
    }

    private static void applyForm(VccProject p, JsonNode form, List<VccProject.VccRecord> targets) {
        for (Iterator<Map.Entry<String, JsonNode>> it = form.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            VccProject.Field field = p.fields.get(e.getKey());
            Object stored = p.store(field, e.getValue());
            for (VccProject.VccRecord r : targets) {
                r.values.put(field.name, stored);
            }
        }
    }

    private static String unknownField(VccProject p, JsonNode form) {
        for (Iterator<String> it = form.fieldNames(); it.hasNext(); ) {
            if (!p.fields.containsKey(it.next())) {
                return "error.field_not_exists";
            }
        }
        return null;
    }

    // ---- 1.5 batch disposition modification ----

    private SandboxReply modifyDispositions(VccProject p, SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (!(body instanceof ObjectNode) || !body.path("elements").isArray()) {
            return wrongFormat();
        }
        JsonNode def = body.get("disposition");
        if (def != null && !def.isNull() && !def.isObject()) {
            return wrongFormat();
        }
        boolean avoidInCall = body.path("avoid_in_call").asBoolean(false);
        JsonNode elements = body.get("elements");
        ObjectNode response = NODES.objectNode();
        ArrayNode errors = NODES.arrayNode();
        synchronized (p) {
            for (int i = 0; i < elements.size(); i++) {
                String error = dispositionElement(p, elements.get(i), def instanceof ObjectNode o ? o : null, avoidInCall, i);
                record(response, errors, i, error);
            }
        }
        SandboxReply reply = SandboxReply.vcc(200, errors, response);
        reply.elements = elements.size();
        return reply;
    }

    private String dispositionElement(VccProject p, JsonNode element, ObjectNode defaults, boolean avoidInCall, int index) {
        if (!element.isObject()) {
            return "error.wrong_request_format";
        }
        ObjectNode effective = NODES.objectNode();
        if (defaults != null) {
            for (String key : List.of("dispositionid", "userid", "next_calldate", "description")) {
                if (present(defaults.get(key)) != null) {
                    effective.set(key, defaults.get(key));
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (present(e.getValue()) != null && !e.getKey().equals("search")) {
                effective.set(e.getKey(), e.getValue());
            }
        }
        String injected = faults.elementError("modify-dispositions", p.projectid, index, effective);
        if (injected != null) {
            return injected;
        }
        JsonNode numberid = present(element.get("numberid"));
        JsonNode search = present(element.get("search"));
        String selector = selectorError(numberid, search);
        if (selector != null) {
            return selector;
        }
        Change change = readChange(p, effective);
        if (change.error != null) {
            return change.error;
        }
        List<VccProject.VccRecord> targets;
        if (numberid != null) {
            Long id = parseLong(Json.text(numberid));
            VccProject.VccRecord r = id == null ? null : p.records.get(id);
            if (r == null) {
                return "error.record_not_exists";
            }
            targets = List.of(r);
        } else {
            List<JsonNode> alternatives = new ArrayList<>();
            if (search.isArray()) {
                search.forEach(alternatives::add);
            } else {
                alternatives.add(search);
            }
            if (alternatives.isEmpty()) {
                return "error.missing_numberid_or_search";
            }
            for (JsonNode alt : alternatives) {
                if (!alt.isObject() || alt.size() == 0) {
                    return "error.missing_numberid_or_search";
                }
                for (Iterator<String> it = alt.fieldNames(); it.hasNext(); ) {
                    if (!DISPOSITION_SEARCH_KEYS.contains(it.next())) {
                        return "error.wrong_search_key";
                    }
                }
            }
            targets = new ArrayList<>();
            for (VccProject.VccRecord r : p.records.values()) {
                for (JsonNode alt : alternatives) {
                    if (matchesDispositionSearch(r, alt)) {
                        targets.add(r);
                        break;
                    }
                }
            }
            if (targets.isEmpty()) {
                return "error.record_not_found";
            }
        }
        if (avoidInCall) {
            for (VccProject.VccRecord r : targets) {
                if (inCall(p, r)) {
                    return "error.record_in_call";
                }
            }
        }
        String now = java.time.LocalDateTime.now().withNano(0).format(VccProject.DATE_TIME);
        for (VccProject.VccRecord r : targets) {
            change.applyTo(r, now);
        }
        return null;
    }

    private static boolean matchesDispositionSearch(VccProject.VccRecord r, JsonNode criteria) {
        for (Iterator<Map.Entry<String, JsonNode>> it = criteria.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            String want = trimmed(c.getValue());
            String have = switch (c.getKey()) {
                case "numberid" -> String.valueOf(r.numberid);
                case "pref_userid" -> r.prefUserid == null ? "" : String.valueOf(r.prefUserid);
                default -> r.actStatus == null ? "" : String.valueOf(r.actStatus);
            };
            if (!have.equals(want == null ? "" : want)) {
                return false;
            }
        }
        return true;
    }

    /** A validated disposition change: which of dispositionid, userid, next_calldate, description to set. */
    private final class Change {
        String error;
        Integer dispositionid;
        Integer userid;
        String nextCalldate;
        boolean hasNextCalldate;
        String description;
        boolean sendMessages;

        void applyTo(VccProject.VccRecord r, String now) {
            if (dispositionid != null) {
                r.actStatus = dispositionid;
            }
            if (userid != null) {
                r.prefUserid = userid;
            }
            if (hasNextCalldate) {
                r.nextCalldate = nextCalldate;
            }
            r.events.add(new VccProject.Event(now, dispositionid != null ? dispositionid : r.actStatus, userid,
                    hasNextCalldate ? nextCalldate : r.nextCalldate, description == null ? "" : description, sendMessages));
        }
    }

    private Change readChange(VccProject p, JsonNode values) {
        Change c = new Change();
        JsonNode d = present(values.get("dispositionid"));
        if (d != null) {
            Integer id = parseInt(Json.text(d).trim());
            if (id == null || !p.dispositions.containsKey(id)) {
                c.error = "error.disposition_not_exists";
                return c;
            }
            c.dispositionid = id;
        }
        JsonNode u = present(values.get("userid"));
        if (u != null) {
            Integer id = parseInt(Json.text(u).trim());
            if (id == null || !state.get().users.containsKey(id)) {
                c.error = "error.user_not_exists";
                return c;
            }
            c.userid = id;
        }
        JsonNode date = values.get("next_calldate");
        if (date != null && !date.isNull()) {
            String text = Json.text(date).trim();
            if (!text.isEmpty() && !VccProject.validDateTime(text)) {
                c.error = "error.wrong_date_format";
                return c;
            }
            c.hasNextCalldate = true;
            c.nextCalldate = text.isEmpty() ? null : text;
        }
        c.description = Json.text(values.get("description"));
        c.sendMessages = values.path("sendDispositionMessages").asBoolean(false);
        return c;
    }

    // ---- 1.5 add record ----

    private SandboxReply addRecord(VccProject p, SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (!(body instanceof ObjectNode)) {
            return wrongFormat();
        }
        JsonNode form = body.get("form");
        if (form == null || !form.isObject()) {
            return failed("error.missing_form");
        }
        JsonNode contacts = present(body.get("contacts"));
        JsonNode disposition = present(body.get("disposition"));
        JsonNode premium = present(body.get("premium"));
        String phoneField = Json.text(present(body.get("phone_field")));
        synchronized (p) {
            String injected = faults.elementError("add-records", p.projectid, null, form);
            if (injected != null) {
                return failed(injected);
            }
            String unknown = unknownField(p, form);
            if (unknown != null) {
                return failed(unknown);
            }
            if (contacts != null) {
                if (!contacts.isObject()) {
                    return wrongFormat();
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = contacts.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    Integer id = parseInt(e.getKey());
                    if (id == null || !p.hasContactSlot(id) || !e.getValue().isObject()) {
                        return failed("error.contact_not_exists");
                    }
                    String phone = Json.text(e.getValue().get("phone"));
                    if (phone == null || phone.isBlank()) {
                        return failed("error.missing_phone");
                    }
                    String email = Json.text(e.getValue().get("email"));
                    if (email != null && !email.isBlank() && !EMAIL.matcher(email.trim()).matches()) {
                        return failed("error.wrong_email_format");
                    }
                }
            }
            Change change = null;
            if (disposition != null) {
                if (!disposition.isObject()) {
                    return wrongFormat();
                }
                change = readChange(p, disposition);
                if (change.error != null) {
                    return failed(change.error);
                }
            }
            if (phoneField != null && (!PHONE_FIELD.matcher(phoneField).matches() || !p.fields.containsKey(phoneField))) {
                return failed("error.wrong_phone_field");
            }
            VccProject.VccRecord r = p.newRecord(null);
            applyForm(p, form, List.of(r));
            if (contacts != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = contacts.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    setContact(r.contact(Integer.parseInt(e.getKey())), e.getValue());
                }
            }
            if (change != null) {
                change.applyTo(r, r.createDate);
            }
            r.phoneField = phoneField;
            if (premium != null) {
                r.premiumPrice = premium.hasNonNull("price") ? premium.get("price").asDouble() : null;
                r.premiumCommission = premium.hasNonNull("commission") ? premium.get("commission").asDouble() : null;
            }
            return SandboxReply.vccOk(NODES.arrayNode().add(r.numberid));
        }
    }

    // ---- 1.6 modify one record ----

    private SandboxReply modifyRecord(VccProject p, String numberidText, SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (!(body instanceof ObjectNode)) {
            return wrongFormat();
        }
        Long numberid = parseLong(numberidText);
        synchronized (p) {
            VccProject.VccRecord r = numberid == null ? null : p.records.get(numberid);
            if (r == null) {
                return failed("error.record_not_exists");
            }
            String injected = faults.elementError("modify-records-single", p.projectid, null, body);
            if (injected != null) {
                return failed(injected);
            }
            String unknown = unknownField(p, body);
            if (unknown != null) {
                return failed(unknown);
            }
            applyForm(p, body, List.of(r));
            return SandboxReply.vccOk(NODES.booleanNode(true));
        }
    }

    // ---- 1.5 modify contact ----

    private SandboxReply modifyContact(VccProject p, String numberidText, String contactText, SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (!(body instanceof ObjectNode)) {
            return wrongFormat();
        }
        Long numberid = parseLong(numberidText);
        Integer contactId = parseInt(contactText);
        synchronized (p) {
            VccProject.VccRecord r = numberid == null ? null : p.records.get(numberid);
            if (r == null) {
                return failed("error.record_not_exists");
            }
            if (contactId == null || !p.hasContactSlot(contactId)) {
                return failed("error.contact_not_exists");
            }
            String email = Json.text(body.get("email"));
            if (email != null && !email.isBlank() && !EMAIL.matcher(email.trim()).matches()) {
                return failed("error.wrong_email_format");
            }
            String injected = faults.elementError("modify-contacts", p.projectid, null, body);
            if (injected != null) {
                return failed(injected);
            }
            setContact(r.contact(contactId), body);
            return SandboxReply.vccOk(NODES.booleanNode(true));
        }
    }

    private static void setContact(VccProject.Contact c, JsonNode values) {
        if (values.has("title")) {
            c.title = nullToEmpty(Json.text(values.get("title")));
        }
        if (values.has("name")) {
            c.name = nullToEmpty(Json.text(values.get("name")));
        }
        if (values.has("phone")) {
            c.phone = nullToEmpty(Json.text(values.get("phone")));
        }
        if (values.has("email")) {
            c.email = nullToEmpty(Json.text(values.get("email"))).trim();
        }
    }

    // ---- helpers ----

    private boolean inCall(VccProject p, VccProject.VccRecord r) {
        return r.inCall || faults.markedInCall(p.projectid, r.numberid);
    }

    private static void record(ObjectNode response, ArrayNode errors, int index, String error) {
        if (FaultInjector.OMITTED.equals(error)) {
            return; // neither confirmed nor refused
        }
        if (error == null) {
            response.put(String.valueOf(index), true);
        } else {
            errors.addObject().put("errorcode", 417).put("errormessage", error).put("index", index);
        }
    }

    /** Exactly one of numberid and search selects the records of a batch element (contract 1.5). */
    private static String selectorError(JsonNode numberid, JsonNode search) {
        if (numberid == null && search == null) {
            return "error.missing_numberid_or_search";
        }
        if (numberid != null && search != null) {
            return "error.numberid_and_search";
        }
        return null;
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isBlank()) ? null : node;
    }

    private static String trimmed(JsonNode node) {
        String text = Json.text(node);
        return text == null ? null : text.trim();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static Integer parseInt(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Long parseLong(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static SandboxReply failed(String message) {
        return SandboxReply.vccError(417, 417, message);
    }

    static SandboxReply wrongFormat() {
        return SandboxReply.vccError(400, 400, "error.wrong_request_format");
    }

    static SandboxReply notFound() {
        return SandboxReply.vccError(404, 404, "error.not_found");
    }

    static SandboxReply methodNotAllowed() {
        return SandboxReply.vccError(405, 405, "error.method_not_allowed");
    }
}
