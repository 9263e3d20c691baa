package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.sandbox.SandboxSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real parts an end-to-end test needs: a sandbox on a free loopback port, a bridge home in a
 * temporary folder, and the real routes and config/ pointed at them.
 */
public final class BridgeHarness implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final Sandbox sandbox;
    public final Path home;
    private Bridge bridge;

    private BridgeHarness(Sandbox sandbox, Path home) {
        this.sandbox = sandbox;
        this.home = home;
    }

    public static BridgeHarness withSandbox(Path home) throws IOException {
        return new BridgeHarness(Sandbox.start(SandboxSettings.defaults()), home);
    }

    /** A harness whose sandbox runs with the given settings (such as a seed with more records). */
    public static BridgeHarness withSandbox(Path home, SandboxSettings sandboxSettings) throws IOException {
        return new BridgeHarness(Sandbox.start(sandboxSettings), home);
    }

    /** The options a test bridge runs with over config/application.properties: pointed at the sandbox and home. */
    public Map<String, String> options(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("bridge.home", home.toString());
        all.put("vcc.base-url", sandbox.vccBaseUrl());
        all.put("vcc.customer", "sandbox");
        all.put("vcc.token", "sandbox");
        all.put("gws.base-url", sandbox.gwsBaseUrl());
        all.put("gws.user", "sandbox");
        all.put("gws.password", "sandbox");
        all.put("ingest.file.poll-delay", "100");
        all.put("ingest.file.min-age", "200");
        all.put("retry.initial-delay", "50");
        all.put("retry.max-delay", "200");
        all.put("management.enabled", "false");
        all.putAll(overrides);
        return all;
    }

    public Bridge startBridge(Map<String, String> overrides, boolean watchInbox) throws Exception {
        bridge = Bridge.start(options(overrides), Path.of("config/application.properties"), watchInbox);
        return bridge;
    }

    /** Writes a file into inbox/<project>/<operation>/ the way a careful producer does: write, then rename. */
    public Path drop(String project, String operation, String name, String content) throws IOException {
        Path folder = home.resolve("inbox").resolve(project).resolve(operation);
        Files.createDirectories(folder);
        Path partial = folder.resolve("." + name + ".partial");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        return Files.move(partial, folder.resolve(name));
    }

    public Path done(String project, String operation, String name) {
        return home.resolve("done").resolve(project).resolve(operation).resolve(name);
    }

    public Path inbox(String project, String operation, String name) {
        return home.resolve("inbox").resolve(project).resolve(operation).resolve(name);
    }

    /** Every dead letter written so far, in file order. */
    public List<JsonNode> deadLetters() throws IOException {
        Path dir = home.resolve("dead-letter");
        List<JsonNode> letters = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return letters;
        }
        try (Stream<Path> files = Files.list(dir).sorted()) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    letters.add(JSON.readTree(line));
                }
            }
        }
        return letters;
    }

    /** GET a path of the sandbox's VCC API (such as /projects/22/records/1) as the dialer's client would. */
    public JsonNode vccGet(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.vccBaseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("sandbox:sandbox".getBytes()))
                .GET().build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Waits for the report of a file in done/ and reads it. */
    public JsonNode awaitReport(String project, String operation, String name) throws IOException {
        Path report = done(project, operation, name + ".report.json");
        org.awaitility.Awaitility.await("report of " + name + " in done/")
                .atMost(java.time.Duration.ofSeconds(45)).until(() -> Files.exists(report));
        return JSON.readTree(report.toFile());
    }

    /** The results output of a file from the inbox (one JSON object per line), in file order. */
    public List<JsonNode> results(String project, String operation, String name) throws IOException {
        Path file = home.resolve("results").resolve(project).resolve(operation).resolve(name + ".results.ndjson");
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** Dead letters sorted by source line. */
    public List<JsonNode> deadLettersByLine() throws IOException {
        return deadLetters().stream()
                .sorted(java.util.Comparator.comparingLong(l -> l.path("source").path("line").asLong())).toList();
    }

    /** The requests the sandbox logged (method, path, status, ...), oldest first. */
    public List<JsonNode> requests() throws IOException, InterruptedException {
        JsonNode answer = admin("GET", "requests", null);
        JsonNode entries = answer.isArray() ? answer : answer.path("requests");
        List<JsonNode> list = new ArrayList<>();
        entries.forEach(list::add);
        return list;
    }

    /** Sends a request to the sandbox's VCC API (such as POST /projects/22/records) as the dialer's client would. */
    public JsonNode vcc(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.vccBaseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("sandbox:sandbox".getBytes()))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Calls an admin endpoint of the sandbox under /sandbox/. */
    public JsonNode admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.gwsBaseUrl() + "/sandbox/" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        String answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        return answer.isBlank() ? JSON.nullNode() : JSON.readTree(answer);
    }

    @Override
    public void close() {
        if (bridge != null) {
            bridge.close();
        }
        sandbox.close();
    }
}
