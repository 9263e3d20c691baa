package io.dialerbridge.dialer.vcc;

import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;

/**
 * One element's exchange with the dialer, step by step: the request to make next (a probe or the
 * real request), or, once {@link #pending()} is false, the element's outcome. Immutable; each
 * answer gives the next step.
 *
 * @param element           the element
 * @param step              what the request is for
 * @param method            HTTP method of the request (null when done)
 * @param path              path under the API base (null when done)
 * @param body              JSON body (null when done)
 * @param outcome           the element's outcome (null until done)
 * @param sessionGeneration the Genesys session the request was signed with (-1 when none)
 * @param relogged          whether the Genesys session was already renewed for this element
 */
public record SingleCall(Element element, Step step, String method, String path, String body, BatchOutcome outcome,
                         long sessionGeneration, boolean relogged) {

    public enum Step {
        /** The element's own request. */
        SEND,
        /** add-records: is there already a record with the element's unique field value? */
        PROBE,
        /** Finished: see {@link #outcome()}. */
        DONE
    }

    public static SingleCall send(Element element, String method, String path, String body) {
        return new SingleCall(element, Step.SEND, method, path, body, null, -1, false);
    }

    public static SingleCall probe(Element element, String path, String body) {
        return new SingleCall(element, Step.PROBE, "PUT", path, body, null, -1, false);
    }

    public static SingleCall accepted(Element element) {
        return new SingleCall(element, Step.DONE, null, null, null,
                new BatchOutcome(java.util.List.of(element), java.util.List.of()), -1, false);
    }

    public static SingleCall rejected(Element element, Rejection why) {
        return new SingleCall(element, Step.DONE, null, null, null, BatchOutcome.single(element.rejected(why)), -1, false);
    }

    public boolean pending() {
        return step != Step.DONE;
    }

    public SingleCall signedWith(long generation) {
        return new SingleCall(element, step, method, path, body, outcome, generation, relogged);
    }

    public SingleCall afterRelogin() {
        return new SingleCall(element, step, method, path, body, outcome, -1, true);
    }

    @Override
    public String toString() {
        return step + " " + (method == null ? "" : method + " " + path + " ") + "for " + element.source();
    }
}
