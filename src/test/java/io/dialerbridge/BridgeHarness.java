package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.sandbox.SandboxSettings;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real parts an end-to-end test needs: a sandbox on a free loopback port, a bridge home in a
 * temporary folder, and the real routes and config/ pointed at them.
 */
public final class BridgeHarness implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern DISTINCT_VALUE = Pattern.compile("\"age\":\"(v\\d+)\"");

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

    /**
     * A sandbox whose project 22 holds, besides the seed's records, records up to numberid
     * {@code records}, so that {@link #distinctElements} can change a record of its own per element.
     */
    public static BridgeHarness withRecords(Path home, int records) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode seed =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(SandboxSettings.DEFAULT_SEED_FILE.toFile());
        for (JsonNode project : seed.path("vcc").path("projects")) {
            if (project.path("projectid").asInt() == 22) {
                com.fasterxml.jackson.databind.node.ArrayNode list = (com.fasterxml.jackson.databind.node.ArrayNode) project.path("records");
                for (int numberid = list.size() + 1; numberid <= records; numberid++) {
                    list.addObject().put("numberid", numberid).putObject("data").put("name", "Person " + numberid);
                }
            }
        }
        Path file = Files.createTempFile("sandbox-seed", ".json");
        file.toFile().deleteOnExit();
        JSON.writeValue(file.toFile(), seed);
        SandboxSettings defaults = SandboxSettings.defaults();
        return new BridgeHarness(Sandbox.start(new SandboxSettings(defaults.host(), 0, defaults.customer(), defaults.token(),
                defaults.gwsUser(), defaults.gwsPassword(), file, null)), home);
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
        // the inbox lease: a short heartbeat, so that a daemon holds the inbox a moment after it starts
        all.put("cluster.heartbeat-interval", "200");
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
        return awaitReport(project, operation, name, Duration.ofSeconds(45));
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

    /** How many requests with this method and path (such as POST /v2/projects/22/records) the sandbox logged. */
    public long requestsTo(String method, String path) throws IOException, InterruptedException {
        return requests().stream().filter(r -> r.path("method").asText().equals(method)
                && r.path("path").asText().equals(path)).count();
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

    /** Sets the sandbox's fault injection (see docs/SANDBOX.md), replacing any set before. */
    public void faults(String json) throws IOException, InterruptedException {
        admin("PUT", "faults", json);
    }

    /** Turns every fault of the sandbox off. */
    public void clearFaults() throws IOException, InterruptedException {
        admin("DELETE", "faults", null);
    }

    /** A record of a project as the sandbox holds it (the {@code response} of GET /projects/{p}/records/{n}). */
    public JsonNode record(String project, long numberid) throws IOException, InterruptedException {
        return vccGet("/projects/" + project + "/records/" + numberid).path("response");
    }

    /** The city field of a record in the sandbox, or null when it has none. */
    public String city(String project, long numberid) throws IOException, InterruptedException {
        return record(project, numberid).path("data").path("city").asText(null);
    }

    /** Waits, up to the given time, for the report of a file in done/ and reads it. */
    public JsonNode awaitReport(String project, String operation, String name, Duration atMost) throws IOException {
        Path report = done(project, operation, name + ".report.json");
        Awaitility.await("report of " + name + " in done/").atMost(atMost).until(() -> Files.exists(report));
        return JSON.readTree(report.toFile());
    }

    /**
     * Asserts that the dead letters, by source line, are exactly these lines with these errors, and
     * returns them in that order for further assertions.
     */
    public List<JsonNode> assertDeadLettered(List<Long> lines, List<String> errors) throws IOException {
        List<JsonNode> letters = deadLettersByLine();
        assertThat(letters).extracting(l -> l.path("source").path("line").asLong()).containsExactlyElementsOf(lines);
        assertThat(letters).extracting(l -> l.path("error").asText()).containsExactlyElementsOf(errors);
        return letters;
    }

    /**
     * modify-records elements for project 22 that each change a record of their own ({@code numberid} = line:
     * use a sandbox from {@link #withRecords}) and carry a value of their own ({@code "age":"v<line>"}),
     * one per line, so that the request log shows where each one went (see {@link #appliedCounts}).
     */
    public static String distinctElements(int count) {
        StringBuilder lines = new StringBuilder();
        IntStream.rangeClosed(1, count).forEach(line -> lines.append("{\"numberid\":\"").append(line)
                .append("\",\"form\":{\"age\":\"v").append(line).append("\"}}\n"));
        return lines.toString();
    }

    /** How often each value of {@link #distinctElements} ("v<line>") reached the sandbox: in every PUT it answered 200 to. */
    public Map<String, Integer> appliedCounts() throws IOException, InterruptedException {
        return appliedCounts(Instant.EPOCH);
    }

    /** As {@link #appliedCounts()}, counting only the requests that came in after the given time. */
    public Map<String, Integer> appliedCounts(Instant since) throws IOException, InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode request : requests()) {
            if (request.path("method").asText().equals("PUT") && request.path("status").asInt() == 200
                    && Instant.parse(request.path("time").asText()).isAfter(since)) {
                assertThat(request.path("bodyTruncated").asBoolean()).isFalse();
                Matcher m = DISTINCT_VALUE.matcher(request.path("body").asText());
                while (m.find()) {
                    counts.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** The environment of {@code dialer-bridge run} in a child JVM: the sandbox as its dialer, the given home. */
    public Map<String, String> childEnvironment(Path bridgeHome) {
        Map<String, String> environment = new HashMap<>();
        environment.put("BRIDGE_HOME", bridgeHome.toString());
        environment.put("VCC_BASE_URL", sandbox.vccBaseUrl());
        environment.put("VCC_CUSTOMER", "sandbox");
        environment.put("VCC_TOKEN", "sandbox");
        environment.put("CLUSTER_HEARTBEAT_INTERVAL", "200");
        return environment;
    }

    /** Starts {@code dialer-bridge run} in a child JVM; its output goes to {@code <name>.out} and {@code <name>.err} in home. */
    public Process startDaemon(String name, Map<String, String> environment) throws IOException {
        return ChildProcess.start(Path.of(".").toAbsolutePath(), environment, home.resolve(name + ".out"),
                home.resolve(name + ".err"), "run");
    }

    @Override
    public void close() {
        if (bridge != null) {
            bridge.close();
        }
        sandbox.close();
    }
}
