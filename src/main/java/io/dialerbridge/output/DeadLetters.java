package io.dialerbridge.output;

import io.dialerbridge.element.Element;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The dead-letter output, chosen by {@code dead-letter.target}: {@link FileDeadLetters} (one NDJSON
 * file per project, operation and day) or {@link KafkaDeadLetters} (a topic). Both write the same
 * {@link DeadLetterEnvelope}, and both return only when the letters are durable (forced to disk, or
 * acknowledged by the broker), so the source may be acknowledged after a write.
 */
public interface DeadLetters {

    /** Writes the rejected elements durably; returns how many were written. */
    int write(List<Element> rejected) throws IOException;

    /**
     * Which of these element ids already have a letter in this output (for a project and operation).
     * Asked only after a crash between writing letters and noting them in a file's journal, so that a
     * resumed file does not write them twice. An output that cannot be searched answers none: those
     * elements are sent again, and a letter may then be written twice (with the same id).
     */
    default Set<String> alreadyWritten(String projectId, String operation, Set<String> ids) throws IOException {
        return Set.of();
    }
}
