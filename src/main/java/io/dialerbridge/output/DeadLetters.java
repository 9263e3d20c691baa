package io.dialerbridge.output;

import io.dialerbridge.element.Element;

import java.io.IOException;
import java.util.List;

/**
 * The dead-letter output, chosen by {@code dead-letter.target}: {@link FileDeadLetters} (one NDJSON
 * file per project, operation and day) or {@link KafkaDeadLetters} (a topic). Both write the same
 * {@link DeadLetterEnvelope}, and both return only when the letters are durable (forced to disk, or
 * acknowledged by the broker), so the source may be acknowledged after a write.
 */
public interface DeadLetters {

    /** Writes the rejected elements durably; returns how many were written. */
    int write(List<Element> rejected) throws IOException;
}
