package io.dialerbridge.output;

import java.util.Map;
import java.util.TreeMap;

/** What became of the elements of one source (or of a whole run): accepted, or dead-lettered by error. */
public final class RunReport {

    private long accepted;
    private long deadLettered;
    private final Map<String, Long> byError = new TreeMap<>();
    /** incremental sync (docs/SYNC.md): not sent because the dialer already holds their values */
    private long unchanged;
    /** incremental sync: sent again because the dialer refused the same values in an earlier run */
    private long retriedFromEarlierRun;
    /** incremental sync: records of the previous snapshot this one no longer names, and the file that lists them */
    private long removed;
    private String removedFile;
    /** pre-flight field check (docs/SYNC.md): choice values sent that the field did not have, by field */
    private final Map<String, java.util.Set<String>> newValues = new TreeMap<>();

    public synchronized void unchanged(int count) {
        unchanged += count;
    }

    public synchronized void retriedFromEarlierRun(int count) {
        retriedFromEarlierRun += count;
    }

    public synchronized void removed(long count, String file) {
        removed += count;
        removedFile = file;
    }

    public synchronized long unchanged() {
        return unchanged;
    }

    public synchronized long retriedFromEarlierRun() {
        return retriedFromEarlierRun;
    }

    public synchronized long removed() {
        return removed;
    }

    /** Choice values of {@code field} that were sent and that the dialer creates (fields.new-values=allow). */
    public synchronized void newValues(String field, java.util.Collection<String> values) {
        newValues.computeIfAbsent(field, f -> new java.util.TreeSet<>()).addAll(values);
    }

    public synchronized Map<String, java.util.Set<String>> newValues() {
        Map<String, java.util.Set<String>> copy = new TreeMap<>();
        newValues.forEach((field, values) -> copy.put(field, new java.util.TreeSet<>(values)));
        return copy;
    }

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
            unchanged += other.unchanged;
            retriedFromEarlierRun += other.retriedFromEarlierRun;
            removed += other.removed;
            removedFile = other.removedFile != null ? other.removedFile : removedFile;
            other.byError.forEach((k, v) -> byError.merge(k, v, Long::sum));
            other.newValues.forEach(this::newValues);
        }
    }

    public synchronized long elements() {
        return accepted + deadLettered + unchanged;
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
        Map<String, Object> map = new java.util.LinkedHashMap<>(Map.of("elements", elements(), "accepted", accepted,
                "deadLettered", deadLettered, "byError", new TreeMap<>(byError)));
        if (unchanged > 0 || retriedFromEarlierRun > 0 || removed > 0) {
            map.put("unchanged", unchanged);
            map.put("retriedFromEarlierRun", retriedFromEarlierRun);
            map.put("removed", removed);
            if (removedFile != null) {
                map.put("removedFile", removedFile);
            }
        }
        if (!newValues.isEmpty()) {
            map.put("newValues", newValues());
        }
        return map;
    }

    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder();
        text.append("elements: ").append(elements()).append(", accepted: ").append(accepted)
                .append(", dead-lettered: ").append(deadLettered);
        if (unchanged > 0 || retriedFromEarlierRun > 0 || removed > 0) {
            text.append(", unchanged: ").append(unchanged).append(", retried from an earlier run: ")
                    .append(retriedFromEarlierRun).append(", removed: ").append(removed);
            if (removedFile != null) {
                text.append(" (").append(removedFile).append(')');
            }
        }
        byError.forEach((error, count) -> text.append("\n  ").append(error).append(": ").append(count));
        newValues.forEach((field, values) -> text.append("\n  new values of ").append(field).append(": ")
                .append(String.join(", ", values)));
        return text.toString();
    }
}
