package io.dialerbridge.reconcile;

import io.dialerbridge.fields.ProjectFields;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares what was sent with what the dialer holds, record by record and field by field, and
 * counts the outcome. The dialer is asked for one record at a time, in the sample's order.
 */
public final class Reconciliation {

    private Reconciliation() {
    }

    /** Reads a record back: its {@code data} (field → stored value), or null when the dialer has no such record. */
    public interface DialerRecords {
        JsonNode data(String numberid);
    }

    /** One field whose value in the dialer is not the one sent; {@code field} is null for a missing record. */
    public record Difference(String numberid, String field, String sent, String dialer) {
        static Difference missing(String numberid) {
            return new Difference(numberid, null, null, null);
        }

        public boolean isMissingRecord() {
            return field == null;
        }
    }

    /** The counts of the summary line, and every difference found. */
    public record Result(long records, long checked, long matching, long drifted, long missing, long notCheckable,
                         long notSent, List<Difference> differences) {

        public boolean inStep() {
            return drifted == 0 && missing == 0;
        }

        @Override
        public String toString() {
            return "checked: " + checked + " of " + records + " records, matching: " + matching + ", drifted: " + drifted
                    + ", missing: " + missing + ", not checkable: " + notCheckable
                    + ", not sent: " + notSent + (notSent == 0 ? ""
                    : " (refused before sending, so not compared: see the dead-letter output or failed/)");
        }
    }

    public static Result compare(SentRecords sent, ProjectFields fields, DialerRecords dialer) {
        List<Difference> differences = new ArrayList<>();
        long matching = 0;
        long drifted = 0;
        long missing = 0;
        for (Map.Entry<String, Map<String, String>> record : sent.records().entrySet()) {
            String numberid = record.getKey();
            JsonNode data = dialer.data(numberid);
            if (data == null) {
                missing++;
                differences.add(Difference.missing(numberid));
                continue;
            }
            boolean same = true;
            for (Map.Entry<String, String> value : record.getValue().entrySet()) {
                String field = value.getKey();
                String stored = data.hasNonNull(field) ? data.get(field).asText() : null;
                if (!fields.matches(field, value.getValue(), stored)) {
                    same = false;
                    differences.add(new Difference(numberid, field, value.getValue(), fields.asText(field, stored)));
                }
            }
            if (same) {
                matching++;
            } else {
                drifted++;
            }
        }
        return new Result(sent.distinct(), sent.records().size(), matching, drifted, missing, sent.notCheckable(),
                sent.notSent(), differences);
    }
}
