package io.dialerbridge.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.FileDeadLetters;
import io.dialerbridge.output.RunReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ingest.file.mode=kafka} across failed attempts (a broker outage cuts a publish short, the inbox tries the
 * file again): whatever the points where attempts fail, the topic ends up holding every valid element of the file
 * exactly once among the acknowledged records, in the file's order, the dead-letter output every invalid one once,
 * and the file's report accounts for each line once. The broker is Kafka's own {@link MockProducer} (this tests the
 * publisher's bookkeeping; KafkaPipelineTest publishes to a real broker).
 */
class FilePublisherResumeProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A producer whose broker acknowledges the first {@code acknowledged} sends and then is unreachable. */
    static final class CutProducer extends MockProducer<String, String> {
        private final int acknowledged;
        private int sends;

        CutProducer(int acknowledged) {
            super(true, new StringSerializer(), new StringSerializer());
            this.acknowledged = acknowledged;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> record) {
            if (sends++ < acknowledged) {
                return super.send(record);
            }
            return CompletableFuture.failedFuture(new TimeoutException("Expiring records: the broker is unreachable"));
        }
    }

    @Property(tries = 60)
    void attempts_cut_short_publish_each_element_once_in_order(@ForAll("lines") List<String> lines,
                                                               @ForAll("cuts") List<Integer> cuts,
                                                               @ForAll @net.jqwik.api.constraints.IntRange(min = 2, max = 50) int window)
            throws Exception {
        Path home = Files.createTempDirectory("publish-resume");
        Path file = home.resolve("inbox").resolve("night.ndjson");
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);

        List<String> topic = new ArrayList<>();
        int attempts = 0;
        RunReport report = null;
        for (int attempt = 0; attempt <= cuts.size() && report == null; attempt++) {
            // each attempt is a new start of the file, as the inbox's next attempt is
            Deliveries deliveries = new Deliveries(new FileDeadLetters(home.resolve("dead-letter"), Clock.systemUTC()),
                    home.resolve("state"), false, 500, Duration.ofSeconds(1), Clock.systemUTC());
            MockProducer<String, String> producer = attempt < cuts.size() ? new CutProducer(cuts.get(attempt))
                    : new MockProducer<>(true, new StringSerializer(), new StringSerializer());
            FilePublisher publisher = new FilePublisher(() -> producer, Map.of(Operation.MODIFY_RECORDS, "records"),
                    deliveries, Duration.ofSeconds(5), access(), FieldMapping.NONE);
            // acknowledgements awaited and accounted for as the file goes on, every window / 2 elements
            publisher.window = window;
            attempts++;
            try {
                report = publisher.publish(file.toFile(), file.toString(), "22", "modify-records");
            } catch (FilePublisher.BrokerUnavailable cut) {
                assertThat(cut).hasMessageContaining("goes on from its first element not acknowledged");
            }
            producer.history().forEach(record -> topic.add(record.value()));
        }
        assertThat(report).as("the attempt with the broker back finishes the file").isNotNull();

        List<String> valid = new ArrayList<>();
        long invalid = 0;
        for (String line : lines) {
            if (line.startsWith("{\"numberid\"")) {
                valid.add(JSON.readTree(line).path("numberid").asText());
            } else {
                invalid++;
            }
        }
        List<String> published = new ArrayList<>();
        for (String value : topic) {
            published.add(JSON.readTree(value).path("numberid").asText());
        }
        assertThat(published).as("acknowledged records after %d attempts", attempts).isEqualTo(valid);
        assertThat(deadLetters(home)).as("dead letters").hasSize((int) invalid);
        assertThat(report.accepted()).isEqualTo(valid.size());
        assertThat(report.deadLettered()).isEqualTo(invalid);
        assertThat(report.elements()).isEqualTo(lines.size());
    }

    @Example
    void a_publish_cut_after_three_acknowledgements_goes_on_from_the_fourth() throws Exception {
        attempts_cut_short_publish_each_element_once_in_order(List.of(line(1), line(2), "{broken", line(3), line(4),
                line(5), "[]", line(6)), List.of(3), 10_000);
    }

    @Example
    void a_publish_accounted_as_it_goes_and_cut_after_three_goes_on_from_the_fourth() throws Exception {
        attempts_cut_short_publish_each_element_once_in_order(List.of(line(1), line(2), "{broken", line(3), line(4),
                line(5), "[]", line(6)), List.of(3), 2);
    }

    @Example
    void without_a_journal_the_file_would_be_published_twice() throws Exception {
        // the same cut, seen from the topic: the second attempt starts at line 5 (element 4), not at line 1
        Path home = Files.createTempDirectory("publish-resume");
        Path file = home.resolve("night.ndjson");
        Files.write(file, List.of(line(1), line(2), line(3), line(4)), StandardCharsets.UTF_8);
        Deliveries deliveries = new Deliveries(new FileDeadLetters(home.resolve("dead-letter"), Clock.systemUTC()),
                home.resolve("state"), false, 500, Duration.ofSeconds(1), Clock.systemUTC());
        CutProducer cut = new CutProducer(2);
        assertThatThrownBy(() -> new FilePublisher(() -> cut, Map.of(Operation.MODIFY_RECORDS, "records"), deliveries,
                Duration.ofSeconds(5), access(), FieldMapping.NONE).publish(file.toFile(), file.toString(), "22", "modify-records"))
                .isInstanceOf(FilePublisher.BrokerUnavailable.class);
        MockProducer<String, String> back = new MockProducer<>(true, new StringSerializer(), new StringSerializer());
        new FilePublisher(() -> back, Map.of(Operation.MODIFY_RECORDS, "records"), deliveries, Duration.ofSeconds(5),
                access(), FieldMapping.NONE).publish(file.toFile(), file.toString(), "22", "modify-records");
        assertThat(back.history()).extracting(ProducerRecord::value).containsExactly(line(3).replace("}}", "},\"projectid\":\"22\"}"),
                line(4).replace("}}", "},\"projectid\":\"22\"}"));
        assertThat(back.history()).extracting(record -> new String(record.headers().lastHeader("source-line").value(),
                StandardCharsets.UTF_8)).containsExactly("3", "4");
    }

    private static String line(int numberid) {
        return "{\"numberid\":\"" + numberid + "\",\"form\":{\"city\":\"City " + numberid + "\"}}";
    }

    private static KafkaAccess access() {
        return new KafkaAccess(Duration.ofSeconds(1), () -> { }, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kafka-access-test");
            thread.setDaemon(true);
            return thread;
        }), "localhost:9092", Duration.ofSeconds(30), Clock.systemUTC());
    }

    private static List<JsonNode> deadLetters(Path home) throws IOException {
        List<JsonNode> letters = new ArrayList<>();
        Path folder = home.resolve("dead-letter");
        if (!Files.exists(folder)) {
            return letters;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path letterFile : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".ndjson")).toList()) {
                for (String letter : Files.readAllLines(letterFile, StandardCharsets.UTF_8)) {
                    if (!letter.isBlank()) {
                        letters.add(JSON.readTree(letter));
                    }
                }
            }
        }
        return letters;
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> good = Arbitraries.integers().between(1, 400).map(FilePublisherResumeProperties::line);
        Arbitrary<String> bad = Arbitraries.of("{broken", "[]", "{ \"numberid\":", "{\"form\":{}}");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, good), net.jqwik.api.Tuple.of(1, bad))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    /** How many sends each failing attempt gets acknowledged before the broker goes away (then one attempt succeeds). */
    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 45).list().ofMaxSize(3);
    }
}
