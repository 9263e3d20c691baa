package io.dialerbridge.fields;

/**
 * The project's fields could not be read and {@code fields.new-values=refuse}: nothing may be sent
 * unchecked (it could create values the operator refused). The file stays in the inbox and is tried
 * again at the next look; a Kafka poll is read again from the committed offsets; {@code send} exits 1.
 */
public final class FieldsUnavailableException extends RuntimeException {
    public FieldsUnavailableException(String message) {
        super(message);
    }
}
