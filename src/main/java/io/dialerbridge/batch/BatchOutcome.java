package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import java.util.List;

/**
 * What became of each element of a batch: accepted, or rejected with its reason; or, when the
 * dialer refused or timed out on the batch as a whole, that it must be split to find out.
 *
 * @param splitReason why the batch must be split in halves and sent again, or null
 */
public record BatchOutcome(List<Element> accepted, List<Element> rejected, String splitReason) {

    public BatchOutcome(List<Element> accepted, List<Element> rejected) {
        this(accepted, rejected, null);
    }

    public static BatchOutcome allRejected(Batch batch, Rejection why) {
        return new BatchOutcome(List.of(), batch.elements().stream().map(e -> e.rejected(why)).toList());
    }

    public static BatchOutcome single(Element rejected) {
        return new BatchOutcome(List.of(), List.of(rejected));
    }

    /** The dialer gave no answer per element: split the batch in halves to isolate the cause. */
    public static BatchOutcome mustSplit(String reason) {
        return new BatchOutcome(List.of(), List.of(), reason);
    }

    public boolean isSplitNeeded() {
        return splitReason != null;
    }

    /**
     * Identity, not the records' deep value equality: the routes call methods on an outcome, and
     * Camel's bean cache hashes the object it calls; hashing 500 elements' JSON each time was 8% of the
     * bridge's CPU samples in a profile of the Kafka path (docs/BENCHMARKS.md).
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
