package io.dialerbridge.fields;

import io.dialerbridge.source.ElementReader;

/**
 * A CSV file whose header names form fields the project does not have: the whole file is refused
 * before anything is sent (to {@code failed/}, with this reason), instead of one dead letter per row.
 */
public final class UnknownColumnsException extends ElementReader.UnreadableFileException {
    public UnknownColumnsException(String message) {
        super(message);
    }
}
