package io.dialerbridge.output;

import java.util.Map;
import java.util.TreeMap;

/** What became of the elements of one source (or of a whole run): accepted, or dead-lettered by error. */
public final class RunReport {

    private long accepted;
    private long deadLettered;
    private final Map<String, Long> byError = new TreeMap<>();

    public synchronized void accepted(int count) {
        accepted += count;
    }

    public synchronized void deadLettered(String error, int count) {
        deadLettered += count;
        byError.merge(error, (long) count, Long::sum);
    }

    public synchronized void add(RunReport other) {
        synchronized (other) {
            accepted += other.accepted;
            deadLettered += other.deadLettered;
            other.byError.forEach((k, v) -> byError.merge(k, v, Long::sum));
        }
    }

    public synchronized long elements() {
        return accepted + deadLettered;
    }

    public synchronized long accepted() {
        return accepted;
    }

    public synchronized long deadLettered() {
        return deadLettered;
    }

    public synchronized Map<String, Long> byError() {
        return new TreeMap<>(byError);
    }

    public synchronized Map<String, Object> asMap() {
        return Map.of("elements", elements(), "accepted", accepted, "deadLettered", deadLettered,
                "byError", new TreeMap<>(byError));
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder();
        text.append("elements: ").append(elements()).append(", accepted: ").append(accepted)
                .append(", dead-lettered: ").append(deadLettered);
        byError.forEach((error, count) -> text.append("\n  ").append(error).append(": ").append(count));
        return text.toString();
    }
}
