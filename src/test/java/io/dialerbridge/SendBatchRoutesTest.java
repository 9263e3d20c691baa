package io.dialerbridge;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.batch.Rejected;
import io.dialerbridge.dialer.vcc.AddRecordsJournal;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.dialer.vcc.PartialResults;
import io.dialerbridge.dialer.vcc.VccCredentials;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.output.DeadLetters;
import io.dialerbridge.output.FileDeadLetters;
import io.dialerbridge.policy.DialerGate;
import io.dialerbridge.policy.Exhaustion;
import io.dialerbridge.policy.RetryBudget;
import io.dialerbridge.policy.TransientElementRetries;
import io.dialerbridge.source.InboxLease;
import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.ops.BridgeMetrics;
import io.dialerbridge.ops.Progress;
import io.dialerbridge.ops.RetryNotice;
import io.dialerbridge.output.CsvErrorFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The routes that send a source's work and record its outcome (send-work, send-batch, call-dialer, bisect-batch,
 * record-outcome, dead-letter and the route configurations), from {@code routes/} with the real
 * {@code config/}, against the sandbox on a free loopback port. Only the edges are replaced: the
 * dialer is the sandbox (property override), the beans these routes name are bound here, and a
 * test that needs a failing disk advises route {@code dead-letter}.
 */
@Timeout(60)
class SendBatchRoutesTest extends CamelMainTestSupport {

    private static final String FILE = "22/modify-records/batch.ndjson";
    private static final List<String> ROUTES = List.of("send-work", "send-batch", "call-dialer", "bisect-batch", "record-outcome",
            "dead-letter", "retry-elements", "request-headers", "error-handling");

    private static BridgeHarness harness;
    @TempDir
    static Path home;

    private Deliveries deliveries;

    @BeforeAll
    static void startSandbox() throws IOException {
        harness = BridgeHarness.withSandbox(home);
    }

    @AfterAll
    static void stopSandbox() {
        harness.close();
    }

    @BeforeEach
    void freshDialerAndOutputs() throws Exception {
        harness.admin("DELETE", "faults", null);
        harness.admin("POST", "reset", null);
        harness.admin("DELETE", "requests", null);
        deleteDeadLetters();
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:config/application.properties";
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        Properties overrides = new Properties();
        overrides.put("vcc.base-url", harness.sandbox.vccBaseUrl());
        overrides.put("retry.credentials-refused-redeliveries", "0");
        overrides.put("retry.initial-delay", "10");
        overrides.put("retry.max-delay", "20");
        context.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern(String.join(",",
                ROUTES.stream().map(file -> "file:routes/" + file + ".camel.yaml").toList()));
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        Clock clock = Clock.systemUTC();
        DeadLetters deadLetters = new FileDeadLetters(home.resolve("dead-letter"), clock);
        deliveries = new Deliveries(deadLetters, home.resolve("state"), false, 500, Duration.ofSeconds(1), clock);
        registry.bind("deliveries", deliveries);
        registry.bind("syncState", new io.dialerbridge.sync.SyncState(home.resolve("state"), home.resolve("reports"), "full",
                Map.of(), new io.dialerbridge.sync.RecordFingerprint(ProjectDefaults.fromProperties(Map.of())), (e, n) -> { }, clock));
        registry.bind("deadLetters", deadLetters);
        registry.bind("partialResults", new PartialResults());
        registry.bind("batchRequests", new BatchRequests(ProjectDefaults.fromProperties(Map.of("projects.22.avoid-in-call", "true"))));
        registry.bind("elementRetries", new TransientElementRetries(2, 10, 2, 20));
        registry.bind("batchSteps", new io.dialerbridge.batch.BatchSteps());
        registry.bind("exhaustion", new Exhaustion(
                new AddRecordsJournal(home.resolve("state").resolve("add-records-journal.ndjson"), clock), null));
        registry.bind("dialerGate", new DialerGate(clock, Duration.ofSeconds(60)));
        registry.bind("requestSlots", new io.dialerbridge.dialer.RequestSlots(4));
        registry.bind("vccCredentials", new VccCredentials("sandbox", "sandbox"));
        registry.bind("retryBudget", new RetryBudget(2, Duration.ofSeconds(30), clock));
        BridgeMetrics metrics = new BridgeMetrics(new SimpleMeterRegistry());
        registry.bind("bridgeMetrics", metrics);
        registry.bind("retryNotice", new RetryNotice(metrics, 2));
        registry.bind("progress", new Progress(clock, Duration.ofSeconds(5)));
        registry.bind("csvErrorFiles", new CsvErrorFiles(home.resolve("done")));
        registry.bind("fieldCheck", new io.dialerbridge.fields.PreflightFieldCheck(project -> null, false,
                Duration.ofMinutes(10), "allow", io.dialerbridge.mapping.FieldMapping.NONE, clock, project -> { }));
        registry.bind("inboxLease", InboxLease.unshared());
    }

    @Test
    void bisection_dead_letters_only_the_element_that_makes_the_dialer_refuse_the_request() throws Exception {
        harness.admin("PUT", "faults", """
                {"elementErrors":[{"operation":"modify-records","field":"age","value":"v3","effect":"reject-request"}]}""");

        template.requestBody("direct:send-batch", batch(8));

        assertThat(batchRequests()).as("halves until line 3 is alone; the halves without it go through")
                .containsExactly("f:1..f:8#8", "f:1..f:4#4", "f:1..f:2#2", "f:3..f:4#2", "f:3..f:3#1", "f:4..f:4#1",
                        "f:5..f:8#4");
        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).extracting(l -> l.path("source").path("line").asLong()).containsExactly(3L);
        assertThat(letters.get(0).path("error").asText()).isEqualTo("error.wrong_request_format");
        assertThat(letters.get(0).path("httpStatus").asInt()).isEqualTo(400);
        assertThat(letters.get(0).path("source").path("file").asText()).isEqualTo(FILE);
        assertThat(deliveries.total().accepted()).isEqualTo(7);
        assertThat(deliveries.total().byError()).isEqualTo(Map.of("error.wrong_request_format", 1L));
    }

    @Test
    void dead_letters_exactly_the_elements_the_dialer_refused_with_their_source_and_error() throws Exception {
        List<Element> elements = List.of(element(1, "1"), element(2, "99999"), element(3, "3"));

        template.requestBody("direct:send-batch", new Batch("22", Operation.MODIFY_RECORDS, null, elements));

        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.path("id").asText()).isEqualTo("f:2");
            assertThat(letter.path("source").path("file").asText()).isEqualTo(FILE);
            assertThat(letter.path("source").path("line").asLong()).isEqualTo(2L);
            assertThat(letter.path("error").asText()).isEqualTo("error.record_not_exists");
            assertThat(letter.path("attempts").asInt()).isEqualTo(1);
            assertThat(letter.path("element").path("numberid").asText()).isEqualTo("99999");
        });
        assertThat(deliveries.total().accepted()).isEqualTo(2);
        assertThat(deliveries.total().deadLettered()).isEqualTo(1);
    }

    @Test
    void a_batch_the_dialer_keeps_failing_is_dead_lettered_whole_with_its_attempts() throws Exception {
        harness.admin("PUT", "faults", "{\"errors\":{\"statuses\":[502],\"path\":\"/v2/projects/22/records\"}}");

        template.requestBody("direct:send-batch", batch(3));

        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).extracting(l -> l.path("source").path("line").asLong()).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.path("error").asText()).isEqualTo("error.dialer_unavailable");
            assertThat(letter.path("httpStatus").asInt()).isEqualTo(502);
            assertThat(letter.path("attempts").asInt()).as("first send and retry.max-retries (2) more").isEqualTo(3);
        });
        assertThat(deliveries.total().deadLettered()).isEqualTo(3);
        assertThat(deliveries.total().accepted()).isZero();
    }

    @Test
    void an_element_refused_for_a_transient_reason_is_sent_again_by_the_route_until_the_re_sends_are_used_up()
            throws Exception {
        harness.admin("PUT", "records-in-call", "[\"22/3\"]");
        ObjectNode inCall = JsonNodeFactory.instance.objectNode().put("numberid", "3").put("dispositionid", 1);
        ObjectNode free = JsonNodeFactory.instance.objectNode().put("numberid", "4").put("dispositionid", 1);
        String file = "22/modify-dispositions/d.ndjson";
        List<Element> elements = List.of(
                new Element("d:1", "22", Operation.MODIFY_DISPOSITIONS, inCall, null, SourceRef.fileLine(file, 1), null, null),
                new Element("d:2", "22", Operation.MODIFY_DISPOSITIONS, free, null, SourceRef.fileLine(file, 2), null, null));

        template.requestBody("direct:send-batch", new Batch("22", Operation.MODIFY_DISPOSITIONS, null, elements));

        assertThat(harness.requests()).filteredOn(r -> r.path("path").asText().endsWith("/records/dispositions"))
                .extracting(r -> r.path("idempotencyKey").asText())
                .as("the batch, then line 1 alone twice (element-retry.max-retries 2)")
                .containsExactly("d:1..d:2#2", "d:1..d:1#1", "d:1..d:1#1");
        assertThat(harness.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.path("source").path("line").asLong()).isEqualTo(1L);
            assertThat(letter.path("error").asText()).isEqualTo("error.record_in_call");
            assertThat(letter.path("attempts").asInt()).isEqualTo(3);
        });
        assertThat(deliveries.total().accepted()).isEqualTo(1);
        assertThat(deliveries.total().deadLettered()).isEqualTo(1);
    }

    @Test
    void work_rejected_before_sending_is_dead_lettered_and_never_reaches_the_dialer() throws Exception {
        Element invalid = element(1, "1").rejected(Rejection.beforeSending("error.missing_form", "no form"));

        template.requestBody("direct:send-work", new Rejected(invalid));
        template.requestBody("direct:send-work", batch(2));

        assertThat(harness.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.path("source").path("line").asLong()).isEqualTo(1L);
            assertThat(letter.path("error").asText()).isEqualTo("error.missing_form");
            assertThat(letter.path("httpStatus").asInt()).isZero();
        });
        assertThat(batchRequests()).containsExactly("f:1..f:2#2");
        assertThat(deliveries.total().accepted()).isEqualTo(2);
        assertThat(deliveries.total().deadLettered()).isEqualTo(1);
    }

    @Test
    void nothing_is_accounted_for_when_its_dead_letter_cannot_be_written() throws Exception {
        AdviceWith.adviceWith(context, "dead-letter",
                route -> route.weaveAddFirst().throwException(new IOException("disk full")));
        Element refused = element(1, "1").rejected(new Rejection("error.record_not_exists", 417, "no", 200, 1));
        Element accepted = element(2, "2");

        assertThatThrownBy(() -> template.requestBody("direct:record-outcome",
                new BatchOutcome(List.of(accepted), List.of(refused))))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseMessage("disk full");

        assertThat(harness.deadLetters()).isEmpty();
        assertThat(deliveries.total().elements()).as("neither the accepted nor the refused element").isZero();
    }

    @Test
    void a_status_the_http_client_raises_as_an_exception_is_read_like_an_answer_and_a_permanent_one_dead_lettered()
            throws Exception {
        // the client's throwExceptionOnFailure=false can be lost (a '?' in the address swallowed it once): the status
        // then arrives as an exception, which no failure policy took, and a Kafka partition was read again forever
        AdviceWith.adviceWith(context, "call-dialer", route -> route.weaveByType(org.apache.camel.model.ToDynamicDefinition.class)
                .replace().throwException(new org.apache.camel.http.base.HttpOperationFailedException(
                        "http://dialer/v2/projects/22/records", 405, "Method Not Allowed", null, Map.of(), "<html>405</html>")));

        template.requestBody("direct:send-batch", batch(1));

        assertThat(harness.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.path("error").asText()).isEqualTo("error.request_refused");
            assertThat(letter.path("httpStatus").asInt()).isEqualTo(405);
            assertThat(letter.path("errorMessage").asText()).contains("HTTP 405").contains("<html>405</html>");
        });
        assertThat(deliveries.total().deadLettered()).isEqualTo(1);
    }

    @Test
    void a_transient_status_raised_as_an_exception_is_still_retried() throws Exception {
        AdviceWith.adviceWith(context, "call-dialer", route -> route.weaveByType(org.apache.camel.model.ToDynamicDefinition.class)
                .replace().throwException(new org.apache.camel.http.base.HttpOperationFailedException(
                        "http://dialer/v2/projects/22/records", 503, "Service Unavailable", null, Map.of(), "busy")));

        template.requestBody("direct:send-batch", batch(2));

        assertThat(harness.deadLetters()).hasSize(2).allSatisfy(letter -> {
            assertThat(letter.path("error").asText()).isEqualTo("error.dialer_unavailable");
            assertThat(letter.path("httpStatus").asInt()).isEqualTo(503);
            assertThat(letter.path("attempts").asInt()).as("first send and retry.max-retries (2) more").isEqualTo(3);
        });
    }

    /** The Idempotency-Key (the batch's id) of every batch request the dialer got, in order. */
    private static List<String> batchRequests() throws Exception {
        return harness.requests().stream()
                .filter(r -> r.path("method").asText().equals("PUT") && r.path("path").asText().endsWith("/projects/22/records"))
                .map(r -> r.path("idempotencyKey").asText()).toList();
    }

    private static Batch batch(int size) {
        return new Batch("22", Operation.MODIFY_RECORDS, null,
                IntStream.rangeClosed(1, size).mapToObj(line -> element(line, String.valueOf(1 + line % 5))).toList());
    }

    private static Element element(int line, String numberid) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("numberid", numberid);
        body.putObject("form").put("age", "v" + line);
        return new Element("f:" + line, "22", Operation.MODIFY_RECORDS, body, null, SourceRef.fileLine(FILE, line),
                null, null);
    }

    private static void deleteDeadLetters() throws IOException {
        Path dir = home.resolve("dead-letter");
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
