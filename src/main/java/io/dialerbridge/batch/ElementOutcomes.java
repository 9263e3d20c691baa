package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the outcomes of a batch's elements sent one request each into one {@link BatchOutcome}
 * (the aggregation of route {@code send-elements}), so that it is recorded like a batch's.
 */
public final class ElementOutcomes {

    /** Adds {@code next} (an element's outcome) to {@code sofar}; anything else counts as nothing. */
    public BatchOutcome combine(Object sofar, Object next) {
        BatchOutcome a = sofar instanceof BatchOutcome outcome ? outcome : new BatchOutcome(List.of(), List.of());
        if (!(next instanceof BatchOutcome b)) {
            return a;
        }
        List<Element> accepted = new ArrayList<>(a.accepted());
        accepted.addAll(b.accepted());
        List<Element> rejected = new ArrayList<>(a.rejected());
        rejected.addAll(b.rejected());
        return new BatchOutcome(accepted, rejected);
    }
}
