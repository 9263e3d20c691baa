package io.dialerbridge.output;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaAcknowledgementsTest {

    @Test
    void returns_when_every_send_is_acknowledged() {
        List<Future<RecordMetadata>> sent = List.of(
                CompletableFuture.completedFuture(null), CompletableFuture.completedFuture(null));

        assertThatCode(() -> KafkaAcknowledgements.await(sent, Duration.ofSeconds(1), "two letters"))
                .doesNotThrowAnyException();
    }

    @Test
    void a_refused_send_fails_the_wait_with_its_cause() {
        List<Future<RecordMetadata>> sent = List.of(
                CompletableFuture.completedFuture(null), CompletableFuture.failedFuture(new IllegalStateException("no leader")));

        assertThatThrownBy(() -> KafkaAcknowledgements.await(sent, Duration.ofSeconds(1), "two letters"))
                .isInstanceOf(IOException.class)
                .hasMessage("Kafka did not take two letters: no leader")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void an_unacknowledged_send_fails_the_wait_at_the_deadline() {
        List<Future<RecordMetadata>> sent = List.of(new CompletableFuture<>());

        assertThatThrownBy(() -> KafkaAcknowledgements.await(sent, Duration.ofMillis(50), "one letter"))
                .isInstanceOf(IOException.class)
                .hasMessage("Kafka did not acknowledge one letter within PT0.05S");
    }
}
