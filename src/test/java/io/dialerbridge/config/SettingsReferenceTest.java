package io.dialerbridge.config;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsReferenceTest {

    private final SettingsReference reference = SettingsReference.bundled();

    @Test
    void a_typo_of_a_documented_key_is_refused_with_the_key_it_resembles() {
        assertThat(reference.problem("batch.max-element", "5"))
                .isEqualTo("unknown setting batch.max-element: did you mean batch.max-elements?");
        assertThat(reference.problem("vcc.nothing-like-this", "x")).startsWith("unknown setting vcc.nothing-like-this (not in");
    }

    @Test
    void keys_outside_the_bridges_namespaces_are_left_to_their_owners() {
        assertThat(reference.problem("camel.main.name", "x")).isNull();
        assertThat(reference.problem("java.home", "x")).isNull();
    }

    @Test
    void per_project_keys_and_sandbox_faults_are_documented_patterns() {
        assertThat(reference.problem("projects.22.defaults.address", "Budapest")).isNull();
        assertThat(reference.problem("projects.22.disposition.userid", "7")).isNull();
        assertThat(reference.problem("projects.22.disposition.user", "7")).startsWith("unknown setting");
        assertThat(reference.problem("projects.22.avoid-in-call", "yes")).contains("it takes true or false");
        assertThat(reference.problem("sandbox.faults.latency.request-ms", "10")).isNull();
    }

    @Test
    void a_value_must_be_of_the_kind_its_default_shows() {
        assertThat(reference.problem("batch.max-elements", "abc"))
                .isEqualTo("batch.max-elements is 'abc': it takes a whole number, such as 500");
        assertThat(reference.problem("batch.max-elements", "")).contains("is empty");
        assertThat(reference.problem("batch.max-elements", "-1")).isEqualTo("batch.max-elements is -1: it cannot be negative");
        assertThat(reference.problem("retry.credentials-refused-redeliveries", "-1")).isNull();
        assertThat(reference.problem("retry.credentials-refused-redeliveries", "-2")).contains("cannot be below -1");
        assertThat(reference.problem("retry.multiplier", "1.5")).isNull();
        assertThat(reference.problem("retry.multiplier", "fast")).contains("it takes a number");
        assertThat(reference.problem("journal.fsync", "yes")).isEqualTo("journal.fsync is 'yes': it takes true or false");
        assertThat(reference.problem("journal.fsync", "TRUE")).isNull();
        assertThat(reference.problem("vcc.base-url", "anything")).isNull();
    }

    @Test
    void an_environment_variable_of_a_bridge_namespace_must_name_a_key() {
        assertThat(reference.unknownVariable("BATCH_MAX_ELEMENTS", Set.of())).isNull();
        assertThat(reference.unknownVariable("BATCH_MAX_ELEMENT", Set.of()))
                .isEqualTo("unknown environment variable BATCH_MAX_ELEMENT: did you mean BATCH_MAX_ELEMENTS?");
        assertThat(reference.unknownVariable("PROJECTS_22_DEFAULTS_CITY", Set.of("projects.22.defaults.city"))).isNull();
        assertThat(reference.unknownVariable("BRIDGE_CONFIG", Set.of())).isNull();
        assertThat(reference.unknownVariable("HOME", Set.of())).isNull();
        // Kubernetes' service variables for services named kafka, cluster or batch are not settings
        assertThat(reference.unknownVariable("KAFKA_SERVICE_HOST", Set.of())).isNull();
        assertThat(reference.unknownVariable("KAFKA_SERVICE_PORT_PLAINTEXT", Set.of())).isNull();
        assertThat(reference.unknownVariable("CLUSTER_PORT", Set.of())).isNull();
        assertThat(reference.unknownVariable("BATCH_PORT_9092_TCP_ADDR", Set.of())).isNull();
    }
}
