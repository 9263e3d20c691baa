package io.dialerbridge.source.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A database change event as Debezium writes it ({@code kafka.format=debezium}): the envelope
 * {@code before}, {@code after}, {@code op}, {@code source}, bare or inside the JSON converter's
 * {@code schema}/{@code payload} wrapper. A create, update or snapshot read ({@code op} c, u, r) carries
 * the row to send ({@code after}); a delete ({@code op} d) and a tombstone (no value) carry none.
 */
public sealed interface ChangeEvent {

    /** A created, updated or snapshot-read row: the element. */
    record Row(ObjectNode row) implements ChangeEvent {
    }

    /** A deleted row (op d): the dialer API has no delete. */
    record Delete() implements ChangeEvent {
    }

    /** A tombstone: no value (or a null payload), the compaction marker Debezium writes after a delete. */
    record Tombstone() implements ChangeEvent {
    }

    /** A value that is not a change event with a row (an unknown op, a truncate, no after object). */
    record NotARow(String why) implements ChangeEvent {
    }

    /** Reads the event of a Kafka value; {@code value} null is a tombstone. */
    static ChangeEvent of(JsonNode value) {
        if (value == null || value.isNull()) {
            return new Tombstone();
        }
        JsonNode event = value.has("schema") && value.has("payload") ? value.get("payload") : value;
        if (event.isNull()) {
            return new Tombstone();
        }
        String op = event.path("op").asText("");
        switch (op) {
            case "c", "u", "r" -> {
                JsonNode after = event.get("after");
                return after instanceof ObjectNode row ? new Row(row.deepCopy())
                        : new NotARow("the change event (op " + op + ") has no after object");
            }
            case "d" -> {
                return new Delete();
            }
            default -> {
                return new NotARow(op.isEmpty() ? "the value is not a Debezium change event (no op)"
                        : "the change event has op " + op + ", not c, u, r or d");
            }
        }
    }
}
