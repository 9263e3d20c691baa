package io.dialerbridge.source.kafka;

import org.apache.kafka.common.KafkaException;

/**
 * The bridge's Kafka security settings do not match what the broker's listener expects (found by
 * {@link ListenerCheck}): Kafka drops such connections without an error, so this is what says why.
 */
public final class ListenerMismatchException extends KafkaException {

    public ListenerMismatchException(String message) {
        super(message);
    }
}
