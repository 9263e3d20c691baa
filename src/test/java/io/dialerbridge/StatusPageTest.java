package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.sandbox.SandboxSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page on the management port, while a file is sent slowly (the sandbox answers each batch
 * late): the file in progress with its counts, then done with its report's counts and its dead letters
 * by error; the daemon's lease, dialers and Kafka; never a credential. Once over HTTP (the JSON and
 * the HTML), once in a real headless browser (Debian's chromium and chromedriver, which .ci/run installs).
 */
@Timeout(90)
class StatusPageTest extends BridgeEndToEndSupport {

    private static final String TOKEN = "t0ken-never-shown";
    private static final String GWS_PASSWORD = "gws-pa55-never-shown";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @Override
    BridgeHarness newHarness() throws Exception {
        SandboxSettings defaults = SandboxSettings.defaults();
        return BridgeHarness.withSandbox(home, new SandboxSettings(defaults.host(), 0, "acme", TOKEN,
                "gws-operator", GWS_PASSWORD, defaults.seedFile(), null));
    }

    /** A daemon on the sandbox with its own credentials, one element per batch, one batch at a time, each answered 300 ms late. */
    private void startSlowDaemon() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> options = new HashMap<>(Map.of("management.enabled", "true", "management.port", String.valueOf(port),
                "vcc.customer", "acme", "vcc.token", TOKEN, "gws.user", "gws-operator", "gws.password", GWS_PASSWORD,
                "batch.max-elements", "1", "batch.max-in-flight", "1", "management.dialer-probe-interval", "200"));
        harness.startBridge(options, true);
        harness.faults("{\"latency\":{\"requestMs\":300,\"path\":\"/v2/projects/22/records\"}}");
    }

    /** Records 1 to 5 exist in the sandbox's project 22; 99999 does not (dead-lettered: error.record_not_exists). */
    private void dropSlowFile() throws Exception {
        String lines = IntStream.rangeClosed(1, 5).mapToObj(n -> "{\"numberid\":\"" + n + "\",\"form\":{\"city\":\"Eger\"}}")
                .collect(Collectors.joining("\n", "", "\n")) + "{\"numberid\":\"99999\",\"form\":{\"city\":\"Ghost\"}}\n";
        harness.drop("22", "modify-records", "slow.ndjson", lines + lines);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET " + path).isEqualTo(200);
        return answer.body();
    }

    private JsonNode status() throws Exception {
        return BridgeHarness.JSON.readTree(get("/observe/status.json"));
    }

    private static void assertNoCredential(String shown) {
        assertThat(shown).doesNotContain(TOKEN).doesNotContain(GWS_PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString(("acme:" + TOKEN).getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(Base64.getEncoder().encodeToString(("gws-operator:" + GWS_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shows_a_file_in_progress_then_done_with_its_counts_and_never_a_credential() throws Exception {
        startSlowDaemon();
        dropSlowFile();

        await("the file in progress on the status page").atMost(Duration.ofSeconds(20))
                .until(() -> status().path("inProgress").size() == 1);
        JsonNode during = status();
        assertThat(during.path("inProgress").get(0).path("source").asText()).isEqualTo("22/modify-records/slow.ndjson");
        assertThat(during.path("operations").get(0).path("inProgress").asLong()).isEqualTo(1);
        assertThat(during.path("waiting").size()).isZero();
        assertThat(get("/observe/status")).contains("<table id=\"in-progress\">").contains("22/modify-records/slow.ndjson");

        harness.awaitReport("22", "modify-records", "slow.ndjson", Duration.ofSeconds(30));
        await("the file finished on the status page").atMost(Duration.ofSeconds(10))
                .until(() -> status().path("recent").size() == 1 && status().path("inProgress").isEmpty());
        JsonNode after = status();
        JsonNode done = after.path("recent").get(0);
        assertThat(done.path("file").asText()).isEqualTo("22/modify-records/slow.ndjson");
        assertThat(done.path("outcome").asText()).isEqualTo("done");
        assertThat(done.path("elements").asLong()).isEqualTo(12);
        assertThat(done.path("accepted").asLong()).isEqualTo(10);
        assertThat(done.path("deadLettered").asLong()).isEqualTo(2);
        assertThat(done.path("report").asText()).isEqualTo("done/22/modify-records/slow.ndjson.report.json");
        JsonNode operation = after.path("operations").get(0);
        assertThat(operation.path("project").asText()).isEqualTo("22");
        assertThat(operation.path("operation").asText()).isEqualTo("modify-records");
        assertThat(operation.path("accepted").asLong()).isEqualTo(10);
        assertThat(operation.path("deadLettered").asLong()).isEqualTo(2);
        assertThat(after.path("deadLetteredByError").path("error.record_not_exists").asLong()).isEqualTo(2);
        assertThat(after.path("daemon").path("kafka").asText()).isEqualTo("off");
        assertThat(after.path("daemon").path("inboxLease").path("active").asBoolean()).isTrue();
        assertThat(after.path("daemon").path("dialers").get(0).path("name").asText()).isEqualTo("vcc");
        assertThat(after.path("daemon").path("dialers").get(0).path("reachable").asBoolean()).isTrue();
        assertThat(after.path("throughputPerSecond").path("rates").size()).isEqualTo(60);

        String page = get("/observe/status");
        assertThat(page).contains("<table id=\"recent\">").contains("done/22/modify-records/slow.ndjson.report.json")
                .contains("error.record_not_exists");
        assertThat(page).contains("<a href=\"/observe/status/report?file=22%2Fmodify-records%2Fslow.ndjson\">");
        assertThat(BridgeHarness.JSON.readTree(get("/observe/status/report?file=22%2Fmodify-records%2Fslow.ndjson"))
                .path("accepted").asLong()).isEqualTo(10);
        // only reports under done/ are served, whatever is asked (done2/ holds a report outside it)
        Files.createDirectories(home.resolve("done2"));
        Files.writeString(home.resolve("done2/secret.json.report.json"), "{}");
        for (String outside : new String[] {"..%2Fdone2%2Fsecret.json", "..%2F..%2Fsecret", "22%2F..%2F..%2Fdone2%2Fsecret.json",
                "22%2Fmodify-records%2Fmissing.ndjson", ""}) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/observe/status/report?file=" + outside)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as(outside).isEqualTo(404);
        }
        assertNoCredential(page);
        assertNoCredential(get("/observe/status.json"));
        // the management server still serves health beside it, and / leads to the page
        assertThat(get("/observe/health")).contains("UP");
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/observe/status");
    }

    @Test
    void a_headless_browser_shows_the_file_in_progress_and_then_done() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no chromium and chromedriver in /usr/bin: install Debian's chromium and chromium-driver (.ci/run does)");
        startSlowDaemon();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1400");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            String page = "http://127.0.0.1:" + port + "/";
            browser.get(page);
            assertThat(browser.getTitle()).isEqualTo("dialer-bridge status");
            assertThat(browser.findElement(By.id("in-progress")).getText()).isEqualTo("nothing");

            dropSlowFile();
            await("the browser shows the file in progress").atMost(Duration.ofSeconds(20)).until(() -> {
                browser.navigate().refresh();
                return browser.findElement(By.id("in-progress")).getText().contains("22/modify-records/slow.ndjson");
            });

            harness.awaitReport("22", "modify-records", "slow.ndjson", Duration.ofSeconds(30));
            await("the browser shows the file done").atMost(Duration.ofSeconds(10)).until(() -> {
                browser.navigate().refresh();
                return browser.findElement(By.id("recent")).getText().contains("22/modify-records/slow.ndjson");
            });
            String recent = browser.findElement(By.id("recent")).getText();
            assertThat(recent).contains("done").contains("12 10 2");
            assertThat(browser.findElement(By.id("dead-letters")).getText()).contains("error.record_not_exists 2");
            assertThat(browser.findElement(By.id("daemon")).getText()).contains("dialer vcc").contains("answers")
                    .contains("Kafka off");
            assertThat(browser.findElement(By.id("operations")).getText()).contains("22 modify-records 0 0 10 2");
            assertNoCredential(browser.getPageSource());

            Path screenshot = Path.of("target", "status-page.png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }
}
