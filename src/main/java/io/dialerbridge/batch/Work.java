package io.dialerbridge.batch;

/**
 * What a source yields, one piece at a time: a {@link Batch} of valid elements to send, or a
 * {@link Rejected} element refused before sending. Route {@code send-work} chooses on {@link #kind()}.
 */
public sealed interface Work permits Batch, Rejected {

    /** {@code batch} or {@code rejected}. */
    String kind();
}
