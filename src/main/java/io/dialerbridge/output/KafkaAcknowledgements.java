package io.dialerbridge.output;

import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for the broker to acknowledge what a producer sent ({@code acks=all}), so that a source is
 * acknowledged only after what it produced is on the topic: used by the dead-letter topic and by
 * files published to Kafka.
 */
public final class KafkaAcknowledgements {

    private KafkaAcknowledgements() {
    }

    /**
     * Returns once every send is acknowledged; throws when one is refused, or when they are not all
     * acknowledged within {@code timeout} (one deadline for all).
     *
     * @param what what was sent, for the message ("the dead letters to dialer.dead-letter")
     */
    public static void await(List<Future<RecordMetadata>> sent, Duration timeout, String what) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> acknowledgement : sent) {
            try {
                acknowledgement.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IOException("Kafka did not take " + what + ": " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("Kafka did not acknowledge " + what + " within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Kafka to acknowledge " + what, e);
            }
        }
    }
}
