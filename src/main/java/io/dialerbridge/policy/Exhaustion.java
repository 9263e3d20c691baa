package io.dialerbridge.policy;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.dialer.vcc.AddRecordsJournal;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What becomes of elements when every attempt to send them failed for a transient reason, the same
 * for a batch (route {@code dead-letter-exhausted}) and for an element sent on its own (route
 * configuration {@code element-retries}): each is refused with {@code error.dialer_unavailable}
 * (the dialer answered) or {@code error.dialer_unreachable} (it did not), the last error and the
 * number of attempts. An add-records element whose POST may have reached the dialer is
 * {@code error.outcome_unknown} instead: the journal keeps it as "sending", so sending the same
 * file again looks it up before re-sending.
 */
public final class Exhaustion {

    private static final Logger LOG = LoggerFactory.getLogger(Exhaustion.class);

    private final AddRecordsJournal journal;
    private final String uniqueField;

    public Exhaustion(AddRecordsJournal journal, String uniqueField) {
        this.journal = journal;
        this.uniqueField = uniqueField == null || uniqueField.isBlank() ? null : uniqueField.trim();
    }

    /** A batch whose every attempt failed (it counts its attempts). */
    public BatchOutcome ofBatch(Batch batch, Throwable failure) {
        return outcome(batch.elements(), failure, batch.attempts(), batch.toString());
    }

    /** An element whose request was sent once and then {@code redeliveries} times more. */
    public BatchOutcome ofElement(Element element, Throwable failure, Integer redeliveries) {
        return outcome(List.of(element), failure, redeliveries == null ? 1 : redeliveries + 1,
                element.source().toString());
    }

    private BatchOutcome outcome(List<Element> elements, Throwable failure, int attempts, String what) {
        Throwable lastError = rootCause(failure);
        DialerAnswerException answer = causeOf(failure, DialerAnswerException.class);
        int status = answer != null ? answer.httpStatus() : 0;
        String error = status > 0 ? "error.dialer_unavailable" : "error.dialer_unreachable";
        String why = lastError instanceof DialerAnswerException ? lastError.getMessage() : lastError.toString();
        String message = "gave up after " + attempts + " attempts; last error: " + why;
        LOG.warn("Giving up on {} after {} attempts: {}", what, attempts, why);
        return new BatchOutcome(List.of(), elements.stream()
                .map(element -> element.rejected(mayHaveBeenCreated(element)
                        ? new Rejection("error.outcome_unknown", null, message + ". The record may have been created: "
                                + "sending the same file again looks it up by "
                                + (uniqueField == null ? "add-records.unique-field (not set)" : uniqueField) + " first",
                                status, attempts)
                        : new Rejection(error, null, message, status, attempts)))
                .toList());
    }

    private boolean mayHaveBeenCreated(Element element) {
        if (element.operation() != Operation.ADD_RECORDS) {
            return false;
        }
        AddRecordsJournal.Entry entry = journal.get(element.id());
        return entry != null && entry.state() == AddRecordsJournal.State.SENDING;
    }

    /** The innermost cause, skipping Camel's wrappers, for a readable message. */
    public static Throwable rootCause(Throwable failure) {
        DialerAnswerException answer = causeOf(failure, DialerAnswerException.class);
        if (answer != null) {
            return answer;
        }
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
