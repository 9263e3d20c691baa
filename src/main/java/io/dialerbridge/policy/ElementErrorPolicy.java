package io.dialerbridge.policy;

import io.dialerbridge.operation.OperationRules;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What to do with an element the dialer refused, by its error code: re-send it later (transient,
 * such as {@code error.record_in_call}) or dead-letter it (permanent, everything else). Each
 * operation has its defaults; {@code element-errors.transient} and {@code element-errors.permanent}
 * in config override them per code.
 */
public final class ElementErrorPolicy {

    private final Set<String> transientCodes;
    private final Set<String> permanentCodes;

    public ElementErrorPolicy(Set<String> transientCodes, Set<String> permanentCodes) {
        this.transientCodes = Set.copyOf(transientCodes);
        this.permanentCodes = Set.copyOf(permanentCodes);
    }

    public static ElementErrorPolicy defaults() {
        return new ElementErrorPolicy(Set.of(), Set.of());
    }

    /** From comma-separated lists of error codes (either may be blank). */
    public static ElementErrorPolicy fromConfig(String transientList, String permanentList) {
        return new ElementErrorPolicy(codes(transientList), codes(permanentList));
    }

    private static Set<String> codes(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public boolean isTransient(OperationRules rules, String error) {
        if (permanentCodes.contains(error)) {
            return false;
        }
        return transientCodes.contains(error) || rules.isTransient(error);
    }
}
