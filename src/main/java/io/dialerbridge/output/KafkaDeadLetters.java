package io.dialerbridge.output;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The dead letters on a Kafka topic ({@code dead-letter.target=kafka}): the {@link DeadLetterEnvelope},
 * keyed by the element's id, with headers {@code source-topic}, {@code source-partition},
 * {@code source-offset} (or {@code source-file} and {@code source-line}), {@code error} and
 * {@code error-message}. A write returns only when the broker has acknowledged every letter (the
 * producer uses {@code acks=all}), so the source may be acknowledged after it.
 */
public final class KafkaDeadLetters implements DeadLetters {

    private final Producer<String, String> producer;
    private final String topic;
    private final Clock clock;
    private final Duration timeout;

    public KafkaDeadLetters(Producer<String, String> producer, String topic, Clock clock, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public int write(List<Element> rejected) throws IOException {
        if (rejected.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(rejected.size());
        for (Element element : rejected) {
            ProducerRecord<String, String> letter = new ProducerRecord<>(topic, element.id(),
                    DeadLetterEnvelope.of(element, clock.instant()).toString());
            headers(letter.headers(), element);
            sent.add(producer.send(letter));
        }
        KafkaAcknowledgements.await(sent, timeout, "the dead letters to " + topic);
        return rejected.size();
    }

    private static void headers(Headers headers, Element element) {
        SourceRef source = element.source();
        if (source.isFile()) {
            add(headers, "source-file", source.file());
            add(headers, "source-line", String.valueOf(source.line()));
        } else {
            add(headers, "source-topic", source.topic());
            add(headers, "source-partition", String.valueOf(source.partition()));
            add(headers, "source-offset", String.valueOf(source.offset()));
        }
        add(headers, "error", element.rejection().error());
        add(headers, "error-message", element.rejection().message());
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
