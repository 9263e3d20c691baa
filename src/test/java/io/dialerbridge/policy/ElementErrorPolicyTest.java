package io.dialerbridge.policy;

import io.dialerbridge.operation.ModifyDispositionsRules;
import io.dialerbridge.operation.ModifyRecordsRules;
import io.dialerbridge.operation.OperationRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ElementErrorPolicyTest {

    private final OperationRules dispositions = new ModifyDispositionsRules();
    private final OperationRules records = new ModifyRecordsRules();

    @Test
    void operation_defaults_hold_unless_config_names_the_code() {
        ElementErrorPolicy defaults = ElementErrorPolicy.defaults();
        assertThat(defaults.isTransient(dispositions, "error.record_in_call")).isTrue();
        assertThat(defaults.isTransient(records, "error.record_in_call")).isFalse();
        assertThat(defaults.isTransient(dispositions, "error.disposition_not_exists")).isFalse();
    }

    @Test
    void config_overrides_per_code_in_both_directions() {
        ElementErrorPolicy policy = ElementErrorPolicy.fromConfig(" error.record_locked , error.busy", "error.record_in_call");
        assertThat(policy.isTransient(records, "error.record_locked")).isTrue();
        assertThat(policy.isTransient(records, "error.busy")).isTrue();
        assertThat(policy.isTransient(dispositions, "error.record_in_call")).as("permanent wins").isFalse();
        assertThat(policy.isTransient(records, "error.record_not_exists")).isFalse();
    }
}
