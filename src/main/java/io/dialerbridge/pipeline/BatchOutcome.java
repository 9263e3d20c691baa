package io.dialerbridge.pipeline;

import java.util.List;

/** What became of each element of a batch: accepted, or rejected with its reason. */
public record BatchOutcome(List<Element> accepted, List<Element> rejected) {

    public static BatchOutcome allRejected(Batch batch, Rejection why) {
        return new BatchOutcome(List.of(), batch.elements().stream().map(e -> e.rejected(why)).toList());
    }

    public static BatchOutcome single(Element rejected) {
        return new BatchOutcome(List.of(), List.of(rejected));
    }
}
