package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A small HTTP client for the sandbox tests: real HTTP on loopback, JSON helpers. */
final class SandboxHttp {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String VCC_AUTH = basic("sandbox", "sandbox");
    static final String GWS_AUTH = basic("sandbox", "sandbox");

    final Sandbox sandbox;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SandboxHttp(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A VCC call with the right credentials; {@code path} is below /v2. */
    HttpResponse<String> vcc(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, sandbox.vccBaseUrl() + path, body, Duration.ofSeconds(20), "Authorization", VCC_AUTH);
    }

    HttpResponse<String> vcc(String method, String path, String body, Duration timeout, String... headers)
            throws IOException, InterruptedException {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = VCC_AUTH;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(method, sandbox.vccBaseUrl() + path, body, timeout, all);
    }

    /** A call to the admin API below /sandbox. */
    HttpResponse<String> admin(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, sandbox.gwsBaseUrl() + "/sandbox" + path, body, Duration.ofSeconds(20));
    }

    void faults(String json) throws IOException, InterruptedException {
        HttpResponse<String> r = admin("PUT", "/faults", json);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("faults refused: " + r.body());
        }
    }

    void reset() throws IOException, InterruptedException {
        HttpResponse<String> r = admin("POST", "/reset", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("reset refused: " + r.body());
        }
    }

    HttpResponse<String> send(String method, String url, String body, Duration timeout, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** GET /v2/projects/{p}/records/{n} → the response object. */
    JsonNode record(int projectid, long numberid) throws IOException, InterruptedException {
        HttpResponse<String> r = vcc("GET", "/projects/" + projectid + "/records/" + numberid, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET record " + numberid + ": " + r.statusCode() + " " + r.body());
        }
        return json(r).get("response");
    }

    /** The value id of a choice value by name, from GET /v2/projects/{p}. */
    int valueId(int projectid, String field, String valueName) throws IOException, InterruptedException {
        JsonNode project = json(vcc("GET", "/projects/" + projectid, null)).get("response");
        for (JsonNode f : project.get("fields")) {
            if (f.get("name").asText().equals(field)) {
                for (JsonNode v : f.get("values")) {
                    if (v.get("name").asText().equalsIgnoreCase(valueName)) {
                        return v.get("valueid").asInt();
                    }
                }
            }
        }
        throw new AssertionError("no value " + valueName + " in " + field);
    }

    static Map<String, String> props(String... kv) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
