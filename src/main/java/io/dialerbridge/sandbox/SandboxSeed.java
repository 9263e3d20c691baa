package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds fresh VCC and Genesys state from the seed fixture (format: docs/SANDBOX.md, "Seeding"). The file is read
 * again on every reset, so edits to it take effect on {@code POST /sandbox/reset}.
 */
final class SandboxSeed {

    static final String RESOURCE = "/sandbox-seed.json";

    record State(VccState vcc, GenesysState genesys) {
    }

    private SandboxSeed() {
    }

    static State load(Path seedFile) throws IOException {
        JsonNode root;
        if (seedFile != null) {
            try (InputStream in = Files.newInputStream(seedFile)) {
                root = Json.MAPPER.readTree(in);
            }
        } else {
            try (InputStream in = SandboxSeed.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IOException("classpath resource " + RESOURCE + " is missing");
                }
                root = Json.MAPPER.readTree(in);
            }
        }
        try {
            return new State(vcc(root.path("vcc")), genesys(root.path("genesys")));
        } catch (RuntimeException e) {
            throw new IOException("invalid sandbox seed " + (seedFile == null ? "classpath:" + RESOURCE : seedFile)
                    + ": " + e.getMessage(), e);
        }
    }

    private static VccState vcc(JsonNode node) {
        VccState state = new VccState();
        for (JsonNode u : node.path("users")) {
            int id = required(u, "userid").asInt();
            state.users.put(id, new VccState.User(id, u.path("name").asText(""), u.path("username").asText("")));
        }
        for (JsonNode p : node.path("projects")) {
            int projectid = required(p, "projectid").asInt();
            VccProject project = new VccProject(projectid, p.path("name").asText("Project " + projectid),
                    p.path("status").asText("active"), p.path("folderid").asInt(0), p.path("container").asText(""),
                    p.path("folder").asText(""));
            for (JsonNode f : p.path("fields")) {
                String type = f.path("type").asText("text");
                if (!List.of("text", "simple", "multiple").contains(type)) {
                    throw new IllegalArgumentException("field " + f.path("name").asText() + ": unknown type " + type);
                }
                VccProject.Field field = project.addField(f.hasNonNull("fieldid") ? f.get("fieldid").asInt() : null,
                        required(f, "name").asText(), f.path("label").asText(null), type);
                for (JsonNode v : f.path("values")) {
                    if (v.isTextual()) {
                        project.addValue(field, null, v.asText(), v.asText(), v.asText(), "", 0, 0);
                    } else {
                        project.addValue(field, v.hasNonNull("valueid") ? v.get("valueid").asInt() : null,
                                required(v, "name").asText(), v.path("label").asText(null),
                                v.path("export_value").asText(null), v.path("description").asText(""),
                                v.path("commission").asDouble(0), v.path("price").asDouble(0));
                    }
                }
            }
            for (JsonNode d : p.path("dispositions")) {
                int id = required(d, "dispositionid").asInt();
                String name = d.path("name").asText("disposition " + id);
                project.dispositions.put(id, new VccProject.Disposition(id, name, d.path("label").asText(name)));
            }
            for (JsonNode r : p.path("records")) {
                VccProject.VccRecord record = project.newRecord(r.hasNonNull("numberid") ? r.get("numberid").asLong() : null);
                for (Iterator<Map.Entry<String, JsonNode>> it = r.path("data").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    VccProject.Field field = project.fields.get(e.getKey());
                    if (field == null) {
                        throw new IllegalArgumentException("record " + record.numberid + ": " + e.getKey() + " is not a field");
                    }
                    record.values.put(field.name, project.store(field, e.getValue()));
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = r.path("contacts").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    VccProject.Contact c = record.contact(Integer.parseInt(e.getKey()));
                    c.title = e.getValue().path("title").asText("");
                    c.name = e.getValue().path("name").asText("");
                    c.phone = e.getValue().path("phone").asText("");
                    c.email = e.getValue().path("email").asText("");
                }
                if (r.hasNonNull("create_date")) {
                    record.createDate = r.get("create_date").asText();
                }
                record.actStatus = r.hasNonNull("act_status") ? r.get("act_status").asInt() : null;
                record.prefUserid = r.hasNonNull("pref_userid") ? r.get("pref_userid").asInt() : null;
                record.nextCalldate = r.hasNonNull("next_calldate") ? r.get("next_calldate").asText() : null;
                record.inCall = r.path("in_call").asBoolean(false);
                record.phoneField = r.hasNonNull("phone_field") ? r.get("phone_field").asText() : null;
            }
            state.projects.put(projectid, project);
        }
        return state;
    }

    private static GenesysState genesys(JsonNode node) {
        GenesysState state = new GenesysState();
        for (JsonNode c : node.path("campaigns")) {
            List<String> lists = new ArrayList<>();
            c.path("callingLists").forEach(l -> lists.add(l.asText()));
            String name = required(c, "name").asText();
            state.campaigns.put(name, new GenesysState.Campaign(name, List.copyOf(lists)));
        }
        for (JsonNode r : node.path("records")) {
            long handle = required(r, "handle").asLong();
            state.records.put(handle, new GenesysState.OutboundRecord(handle, required(r, "campaignName").asText(),
                    r.path("callingList").asText(null), r.path("phoneNumber").asText(null),
                    r.path("phoneType").asText("NoContactType"), r.path("timeZone").asText(null),
                    r.hasNonNull("from") ? r.get("from").asInt() : null,
                    r.hasNonNull("until") ? r.get("until").asInt() : null));
        }
        return state;
    }

    private static JsonNode required(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing '" + key + "' in " + node);
        }
        return v;
    }
}
