package io.dialerbridge.dialer;

import org.apache.camel.Exchange;

import java.util.concurrent.Semaphore;

/**
 * The {@code batch.max-in-flight} requests the bridge may have out at the dialer at once. A batch sender
 * takes a slot just before its HTTP request and gives it back as soon as the answer is in, so the work
 * around the request (building the body before it; reading the answer, dead letters, journal and
 * fingerprints after it) does not hold a slot: with a pool of twice as many senders as slots, the next
 * batch is ready when a slot frees and exactly {@code batch.max-in-flight} requests stay out while there
 * is work. The slots are handed out first come, first served, so a batch is not overtaken indefinitely.
 *
 * <p>The exchange remembers that it holds a slot, so giving it back is safe to call twice (after the
 * answer, and again in the route's {@code doFinally} when the request failed).
 */
public final class RequestSlots {

    private static final String HELD = "dialerBridgeRequestSlot";

    private final int slots;
    private final Semaphore free;

    public RequestSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("batch.max-in-flight must be at least 1, was " + slots);
        }
        this.slots = slots;
        this.free = new Semaphore(slots, true);
    }

    /** Waits for a free slot and marks the exchange as holding it. */
    public void take(Exchange exchange) throws InterruptedException {
        if (exchange.getProperty(HELD) != null) {
            return;
        }
        free.acquire();
        exchange.setProperty(HELD, Boolean.TRUE);
    }

    /** Gives back the exchange's slot, if it holds one. */
    public void giveBack(Exchange exchange) {
        if (exchange.removeProperty(HELD) != null) {
            free.release();
        }
    }

    /** Requests out at the dialer now. */
    public int inFlight() {
        return slots - free.availablePermits();
    }
}
