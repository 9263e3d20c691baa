package io.dialerbridge.source;

/**
 * One Kafka record as the pipeline needs it: where it came from, its value as text, and the
 * {@code projectid} header (null when the record has none). No Kafka or Camel types, so the code
 * that turns a poll into work is tested without either.
 */
public record PolledRecord(String topic, int partition, long offset, String value, String projectidHeader) {
}
