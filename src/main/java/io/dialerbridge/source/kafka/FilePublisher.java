package io.dialerbridge.source.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.batch.Deliveries;
import io.dialerbridge.element.Element;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.output.KafkaAcknowledgements;
import io.dialerbridge.output.RunReport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code ingest.file.mode=kafka}: publishes each element of a dropped file to its operation's topic
 * instead of sending it, so that file drops fan out to the whole consumer group. The value is the
 * element with its {@code projectid} (and the file's {@code default} object, if any); the key is
 * {@code projectid:numberid} (so one record stays on one partition); headers {@code projectid},
 * {@code source-file} and {@code source-line} keep the provenance. Elements that cannot be read or are
 * invalid are dead-lettered at once with file and line. The call returns only when the broker has
 * acknowledged every publish ({@code acks=all}); only then does the route move the file to done/.
 */
public final class FilePublisher {

    private final Supplier<Producer<String, String>> producer;
    private final Map<Operation, String> topics;
    private final Deliveries deliveries;
    private final Duration timeout;
    private final KafkaAccess access;
    private final FieldMapping mapping;

    /** What became of an element refused before publishing (the metrics and the progress lines), once it is dead-lettered. */
    private java.util.function.Consumer<BatchOutcome> deadLettered = outcome -> { };

    public FilePublisher(Supplier<Producer<String, String>> producer, Map<Operation, String> topics, Deliveries deliveries,
                         Duration timeout, KafkaAccess access, FieldMapping mapping) {
        this.access = access;
        this.mapping = mapping;
        this.producer = producer;
        this.topics = Map.copyOf(topics);
        this.deliveries = deliveries;
        this.timeout = timeout;
    }

    /** Counts the elements dead-lettered before publishing as route record-outcome counts a batch's (BridgeMetrics, Progress). */
    public FilePublisher countingDeadLetters(java.util.function.Consumer<BatchOutcome> counter) {
        this.deadLettered = counter;
        return this;
    }

    /**
     * Publishes a file; the report counts published elements as accepted (by Kafka), and the dead letters. The
     * elements are read through the file's journal ({@link Deliveries#notYetPublished}): an element is accounted
     * for once Kafka acknowledged it and every element published before it, so after a failed attempt (the broker
     * unreachable, its acknowledgements late) the next one starts at the first element not acknowledged and
     * publishes on from there in the file's order: nothing acknowledged before it is published again, and a later
     * row of a record still follows its earlier one on the topic.
     */
    public RunReport publish(File file, String sourceName, String projectId, String operation) throws IOException {
        return publish(file, sourceName, projectId, operation, null);
    }

    /** As above, reading only the bytes the file had when the inbox picked it up (null: all of it). */
    public RunReport publish(File file, String sourceName, String projectId, String operation, Long pickedUpLength)
            throws IOException {
        Operation op = Operation.fromId(operation);
        String topic = topics.get(op);
        Producer<String, String> producer = this.producer.get();
        String what = "the elements of " + sourceName + " published to " + topic;
        List<Element> published = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        Iterator<Element> elements = deliveries.notYetPublished(file, sourceName, projectId, operation, pickedUpLength);
        try {
            while (elements.hasNext()) {
                Element element = elements.next();
                if (element.isValid()) {
                    Rejection invalid = op.rules().validate(element.body(), element.defaults());
                    element = invalid == null ? element : element.rejected(invalid);
                }
                if (!element.isValid()) {
                    deliveries.reject(element);
                    deadLettered.accept(BatchOutcome.single(element));
                    continue;
                }
                published.add(element);
                sent.add(producer.send(record(topic, element)));
                if (published.size() >= window) {
                    // the oldest acknowledgements are awaited and accounted for as the file goes on: memory stays
                    // bounded (a file of millions of elements is not held whole) and the journal keeps up
                    awaitAndAccount(published, sent, published.size() / 2, what, sourceName);
                }
            }
        } finally {
            if (elements instanceof Closeable closeable) {
                closeable.close();
            }
        }
        producer.flush();
        awaitAndAccount(published, sent, published.size(), what, sourceName);
        return deliveries.finishSource(sourceName);
    }

    /** The elements published and not yet accounted for at most (so held in memory): half are awaited at once. */
    int window = 10_000;

    /**
     * Awaits the acknowledgements of the first {@code count} elements published and accounts for them, then forgets
     * them. When one is not acknowledged, the elements acknowledged before it are accounted for and the attempt
     * fails: the next one goes on from there.
     */
    private void awaitAndAccount(List<Element> published, List<Future<RecordMetadata>> sent, int count, String what,
                                 String sourceName) throws IOException {
        List<Element> elements = published.subList(0, count);
        List<Future<RecordMetadata>> acknowledgements = sent.subList(0, count);
        try {
            KafkaAcknowledgements.await(acknowledgements, timeout, what);
        } catch (IOException e) {
            accountAcknowledgedPrefix(elements, acknowledgements);
            if (KafkaAccess.isRefusal(e)) {
                access.refused("publisher of files", e);
            }
            if (unavailable(e)) {
                throw new BrokerUnavailable(sourceName, e);
            }
            throw e;
        }
        deliveries.accounted(new BatchOutcome(new ArrayList<>(elements), List.of()));
        elements.clear();
        acknowledgements.clear();
    }

    /**
     * The broker did not acknowledge in time (an outage, a partition without a leader): the file stays in the inbox
     * and goes on at the next look (route {@code ingest-file}), without counting against
     * {@code ingest.file.max-attempts}: an outage is not the file's fault, and each attempt goes on from where the
     * last one stopped.
     */
    public static final class BrokerUnavailable extends IOException {
        BrokerUnavailable(String sourceName, IOException cause) {
            super("Kafka is not acknowledging, " + sourceName + " goes on from its first element not acknowledged at the "
                    + "next look: " + cause.getMessage(), cause);
        }
    }

    private static boolean unavailable(IOException e) {
        Throwable cause = e.getCause();
        return cause instanceof java.util.concurrent.TimeoutException
                || cause instanceof org.apache.kafka.common.errors.RetriableException;
    }

    /** After a failed attempt: the elements acknowledged, up to the first one that is not, are accounted for. */
    private void accountAcknowledgedPrefix(List<Element> published, List<Future<RecordMetadata>> sent) throws IOException {
        int acknowledged = 0;
        while (acknowledged < sent.size() && succeeded(sent.get(acknowledged))) {
            acknowledged++;
        }
        if (acknowledged > 0) {
            deliveries.accounted(new BatchOutcome(published.subList(0, acknowledged), List.of()));
        }
    }

    private static boolean succeeded(Future<RecordMetadata> future) {
        if (!future.isDone() || future.isCancelled()) {
            return false;
        }
        try {
            future.get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static ProducerRecord<String, String> record(String topic, Element element) {
        ObjectNode value = element.body().deepCopy();
        value.put("projectid", element.projectId());
        if (element.defaults() != null && !value.has("default")) {
            value.set("default", element.defaults());
        }
        String key = element.recordKey() != null ? element.recordKey() : element.id();
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value.toString());
        record.headers().add("projectid", element.projectId().getBytes(StandardCharsets.UTF_8));
        record.headers().add("source-file", element.source().file().getBytes(StandardCharsets.UTF_8));
        record.headers().add("source-line", String.valueOf(element.source().line()).getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
