package io.dialerbridge.sandbox;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Decides, request by request, which configured fault fires. Replacing the faults resets every counter and the
 * random generator (seeded with {@link Faults#seed()}, default 0), so a test that sets faults gets the same
 * sequence every time.
 */
final class FaultInjector {

    private volatile Faults faults = Faults.none();
    private volatile Set<Faults.RecordRef> inCall = Set.of();
    private Random random = new Random(0);
    private final Map<String, long[]> counters = new HashMap<>(); // key -> {matched, fired}
    private final Map<String, long[]> windows = new HashMap<>();  // rate limit key -> {windowStart, count}

    Faults current() {
        return faults;
    }

    /** Whether this {@code /meta/connect} finds its client forgotten ({@link Faults.Acks#forgetClient()} counts down). */
    synchronized boolean forgetsClient() {
        Faults.Acks acks = faults.acks();
        if (acks == null || acks.forgetClient() == null) {
            return false;
        }
        long[] counter = counters.computeIfAbsent("forgetClient", k -> new long[2]);
        if (counter[1] >= acks.forgetClient()) {
            return false;
        }
        counter[1]++;
        return true;
    }

    synchronized void replace(Faults next) {
        Faults value = next == null ? Faults.none() : next;
        random = new Random(value.seed() == null ? 0 : value.seed());
        counters.clear();
        windows.clear();
        inCall = value.recordsInCall() == null ? Set.of() : Set.copyOf(new HashSet<>(value.recordsInCall()));
        faults = value;
    }

    boolean markedInCall(int projectid, long numberid) {
        Set<Faults.RecordRef> refs = inCall;
        return !refs.isEmpty() && refs.contains(new Faults.RecordRef(projectid, numberid));
    }

    /** Whether {@code trigger} fires for this request; counts it either way. */
    boolean fires(String key, Faults.Trigger trigger, String method, String path) {
        if (trigger == null || !trigger.appliesTo(method, path)) {
            return false;
        }
        synchronized (this) {
            long[] c = counters.computeIfAbsent(key, k -> new long[2]);
            c[0]++;
            if (trigger.times() != null && c[1] >= trigger.times()) {
                return false;
            }
            boolean hit;
            if (trigger.everyNth() != null && trigger.everyNth() > 0) {
                hit = c[0] % trigger.everyNth() == 0;
            } else if (trigger.rate() != null) {
                hit = random.nextDouble() < trigger.rate();
            } else {
                hit = true;
            }
            if (hit) {
                c[1]++;
            }
            return hit;
        }
    }

    /** The status for the n-th fired error: the configured statuses taken in turn. */
    synchronized int nextErrorStatus(Faults.Errors errors) {
        List<Integer> statuses = errors.effectiveStatuses();
        long fired = counters.getOrDefault("errors", new long[2])[1];
        return statuses.get((int) ((Math.max(fired, 1) - 1) % statuses.size()));
    }

    /**
     * Counts a request against the rate limit of {@code key}; returns the Retry-After seconds when the request is
     * over the limit (and is not counted), or -1 when it may proceed.
     */
    long overRateLimit(String key, Integer projectid) {
        Faults.RateLimit limit = faults.rateLimit();
        if (limit == null || limit.requestsPerSecond() == null) {
            return -1;
        }
        if (limit.projectid() != null && !limit.projectid().equals(projectid)) {
            return -1;
        }
        long now = System.currentTimeMillis();
        synchronized (this) {
            long[] w = windows.computeIfAbsent(key, k -> new long[]{now, 0});
            if (now - w[0] >= limit.windowMillis()) {
                w[0] = now;
                w[1] = 0;
            }
            if (w[1] >= limit.allowedPerWindow()) {
                if (limit.retryAfterSeconds() != null) {
                    return limit.retryAfterSeconds();
                }
                long leftMs = limit.windowMillis() - (now - w[0]);
                return Math.max(1, (leftMs + 999) / 1000);
            }
            w[1]++;
            return -1;
        }
    }

    /**
     * The injected error for one element or form, or null. {@code form} is the element's effective values
     * (field -> JSON value); {@code index} is null for single-object calls.
     */
    /** Returned by {@link #elementError} for an element to leave out of the answer (unconfirmed). */
    static final String OMITTED = "\u0000omitted";

    String elementError(String operation, int projectid, Integer index, com.fasterxml.jackson.databind.JsonNode form) {
        List<Faults.ElementError> rules = faults.elementErrors();
        if (rules == null || rules.isEmpty()) {
            return null;
        }
        for (int i = 0; i < rules.size(); i++) {
            Faults.ElementError rule = rules.get(i);
            if (Faults.ElementError.REJECT_REQUEST.equals(rule.effectiveEffect())
                    || !matches(rule, operation, projectid, index, form)) {
                continue;
            }
            synchronized (this) {
                long[] c = counters.computeIfAbsent("elementErrors." + i, k -> new long[2]);
                if (rule.times() != null && c[1] >= rule.times()) {
                    continue;
                }
                c[1]++;
            }
            return Faults.ElementError.OMIT.equals(rule.effectiveEffect()) && index != null ? OMITTED : rule.effectiveError();
        }
        return null;
    }

    /** Whether an element of this batch makes the whole request fail (effect reject-request); counts it. */
    boolean rejectsRequest(String operation, int projectid, int index, com.fasterxml.jackson.databind.JsonNode form) {
        List<Faults.ElementError> rules = faults.elementErrors();
        if (rules == null) {
            return false;
        }
        for (int i = 0; i < rules.size(); i++) {
            Faults.ElementError rule = rules.get(i);
            if (!Faults.ElementError.REJECT_REQUEST.equals(rule.effectiveEffect())
                    || !matches(rule, operation, projectid, index, form)) {
                continue;
            }
            synchronized (this) {
                long[] c = counters.computeIfAbsent("elementErrors." + i, k -> new long[2]);
                if (rule.times() != null && c[1] >= rule.times()) {
                    continue;
                }
                c[1]++;
            }
            return true;
        }
        return false;
    }

    private static boolean matches(Faults.ElementError rule, String operation, int projectid, Integer index,
                                   com.fasterxml.jackson.databind.JsonNode form) {
        if (rule.operation() != null && !rule.operation().equals(operation)) {
            return false;
        }
        if (rule.projectid() != null && rule.projectid() != projectid) {
            return false;
        }
        if (rule.index() != null && (index == null || !rule.index().equals(index))) {
            return false;
        }
        if (rule.field() != null) {
            com.fasterxml.jackson.databind.JsonNode v = form == null ? null : form.get(rule.field());
            if (v == null) {
                return false;
            }
            if (rule.value() != null) {
                String text = Json.text(v);
                return text != null && text.trim().equalsIgnoreCase(rule.value().trim());
            }
        }
        return true;
    }
}
