package io.dialerbridge.source;

import java.nio.charset.StandardCharsets;

/**
 * One Kafka record as the pipeline needs it: where it came from, its value as the bytes it was
 * written with (null for a tombstone; decoded strictly later, so invalid UTF-8 is dead-lettered, never
 * repaired), and the {@code projectid} header (null when the record has none). No Kafka or Camel
 * types, so the code that turns a poll into work is tested without either.
 */
public record PolledRecord(String topic, int partition, long offset, byte[] value, String projectidHeader) {

    /** A record whose value is this text in UTF-8. */
    public PolledRecord(String topic, int partition, long offset, String value, String projectidHeader) {
        this(topic, partition, offset, value == null ? null : value.getBytes(StandardCharsets.UTF_8), projectidHeader);
    }
}
