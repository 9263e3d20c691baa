package io.dialerbridge.fields;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache, the header check and the behaviour when the fields cannot be read; the reader is a plain function here. */
class PreflightFieldCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> skipped = new ArrayList<>();
    private boolean readable = true;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private PreflightFieldCheck check(String newValues) {
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now;
            }
        };
        return new PreflightFieldCheck(project -> {
            reads.incrementAndGet();
            if (!readable) {
                throw new ProjectFieldsReader.Unreadable("HTTP 503");
            }
            return FieldCheckTest.FIELDS;
        }, true, Duration.ofMinutes(10), newValues, FieldMapping.NONE, clock, skipped::add);
    }

    private static Element kafkaElement(String body) throws Exception {
        return new Element("k", "22", Operation.MODIFY_RECORDS, (ObjectNode) JSON.readTree(body), body,
                SourceRef.kafka("dialer.modify-records", 0, 1), null, null);
    }

    @Test
    void kafka_elements_are_checked_against_fields_read_once_per_project_until_the_ttl_runs_out() throws Exception {
        PreflightFieldCheck check = check("allow");

        assertThat(check.check(kafkaElement("{\"numberid\":\"1\",\"form\":{\"zip\":\"1\"}}")).error()).isEqualTo("error.field_not_exists");
        Element chess = kafkaElement("{\"numberid\":\"1\",\"form\":{\"likes\":\"chess\"}}");
        assertThat(check.check(chess)).isNull();
        assertThat(reads).hasValue(1);
        assertThat(check.newValues("dialer.modify-records")).as("not before the dialer accepted it").isEmpty();
        check.recorded(List.of(chess), List.of());
        assertThat(check.newValues("dialer.modify-records")).containsEntry("likes", java.util.Set.of("chess"));
        now = now.plus(Duration.ofMinutes(11));
        check.check(kafkaElement("{\"numberid\":\"1\",\"form\":{\"city\":\"x\"}}"));
        assertThat(reads).hasValue(2);
    }

    @Test
    void only_the_new_values_of_elements_the_dialer_accepted_are_listed() throws Exception {
        PreflightFieldCheck check = check("allow");
        Element accepted = new Element("k1", "22", Operation.MODIFY_RECORDS,
                (ObjectNode) JSON.readTree("{\"numberid\":\"1\",\"form\":{\"likes\":\"chess\"}}"), null,
                SourceRef.kafka("dialer.modify-records", 0, 1), null, null);
        Element refused = new Element("k2", "22", Operation.MODIFY_RECORDS,
                (ObjectNode) JSON.readTree("{\"numberid\":\"9\",\"form\":{\"likes\":\"golf\"}}"), null,
                SourceRef.kafka("dialer.modify-records", 0, 2), null, null);
        assertThat(check.check(accepted)).isNull();
        assertThat(check.check(refused)).isNull();

        check.recorded(List.of(accepted), List.of(refused.rejected(
                io.dialerbridge.element.Rejection.beforeSending("error.record_not_exists", "no such record"))));

        assertThat(check.newValues("dialer.modify-records")).isEqualTo(java.util.Map.of("likes", java.util.Set.of("chess")));
    }

    private static Element kafkaElement(int partition, long offset, String likes) throws Exception {
        SourceRef source = SourceRef.kafka("dialer.modify-records", partition, offset);
        return new Element(source.key(), "22", Operation.MODIFY_RECORDS, (ObjectNode) JSON.readTree(
                "{\"numberid\":\"" + offset + "\",\"form\":{\"likes\":\"" + likes + "\"}}"), null, source, null, null);
    }

    @Test
    void a_partition_that_leaves_lets_go_of_its_elements_waiting_for_an_outcome_that_never_comes_here() throws Exception {
        PreflightFieldCheck check = check("allow");
        Element revoked = kafkaElement(0, 1, "chess");
        Element stays = kafkaElement(1, 1, "golf");
        Element otherTopic = new Element("k", "22", Operation.MODIFY_RECORDS, (ObjectNode) JSON.readTree(
                "{\"numberid\":\"7\",\"form\":{\"likes\":\"go\"}}"), null, SourceRef.kafka("other", 0, 1), null, null);
        assertThat(check.check(revoked)).isNull();
        assertThat(check.check(stays)).isNull();
        assertThat(check.check(otherTopic)).isNull();
        assertThat(check.pendingCount()).isEqualTo(3);

        check.forget("dialer.modify-records", 0); // revoked in a rebalance: its outcome is recorded by its next owner

        assertThat(check.pendingCount()).as("only partition 0 of that topic let go").isEqualTo(2);
        check.recorded(List.of(stays, otherTopic, revoked), List.of());
        assertThat(check.pendingCount()).isZero();
        assertThat(check.newValues("dialer.modify-records")).as("the revoked element's values are its next owner's to list")
                .isEqualTo(java.util.Map.of("likes", java.util.Set.of("golf")));
    }

    @Test
    void a_record_read_again_replaces_what_its_earlier_reading_left_waiting() throws Exception {
        PreflightFieldCheck check = check("allow");
        assertThat(check.check(kafkaElement(0, 5, "chess"))).isNull();
        assertThat(check.pendingCount()).isEqualTo(1);

        // the partition read again from its committed offset (failed work): the same record, now with no new value
        assertThat(check.check(kafkaElement(0, 5, "sports"))).isNull();

        assertThat(check.pendingCount()).isZero();
    }

    @Test
    void at_most_max_pending_kafka_elements_wait_for_their_outcome() throws Exception {
        PreflightFieldCheck check = check("allow");
        ObjectNode body = (ObjectNode) JSON.readTree("{\"numberid\":\"1\",\"form\":{\"likes\":\"chess\"}}");
        for (int offset = 0; offset < PreflightFieldCheck.MAX_PENDING + 10; offset++) {
            SourceRef source = SourceRef.kafka("dialer.modify-records", 0, offset);
            assertThat(check.check(new Element(source.key(), "22", Operation.MODIFY_RECORDS, body, null, source, null, null)))
                    .as("still sent").isNull();
        }
        assertThat(check.pendingCount()).isEqualTo(PreflightFieldCheck.MAX_PENDING);
    }

    @Test
    void fields_that_cannot_be_read_let_elements_go_unchecked_with_allow_and_stop_them_with_refuse() throws Exception {
        readable = false;
        PreflightFieldCheck allow = check("allow");
        assertThat(allow.check(kafkaElement("{\"numberid\":\"1\",\"form\":{\"zip\":\"1\"}}"))).isNull();
        assertThat(allow.check(kafkaElement("{\"numberid\":\"1\",\"form\":{\"zip\":\"1\"}}"))).isNull();
        assertThat(reads).as("a failed read stands a while").hasValue(1);
        assertThat(skipped).containsExactly("22", "22");
        now = now.plus(PreflightFieldCheck.RETRY_UNREADABLE);
        readable = true;
        assertThat(allow.check(kafkaElement("{\"numberid\":\"1\",\"form\":{\"zip\":\"1\"}}")).error()).isEqualTo("error.field_not_exists");

        readable = false;
        PreflightFieldCheck refuse = check("refuse");
        assertThatThrownBy(() -> refuse.check(kafkaElement("{\"numberid\":\"1\",\"form\":{\"city\":\"x\"}}")))
                .isInstanceOf(FieldsUnavailableException.class).hasMessageContaining("HTTP 503");
        assertThatThrownBy(() -> check("sometimes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fields.new-values");
    }

    @Test
    void a_csv_header_naming_an_unknown_field_refuses_the_file_and_reads_the_fields_afresh() throws Exception {
        PreflightFieldCheck check = check("allow");
        Path typo = Files.writeString(dir.resolve("typo.csv"), "\uFEFFnumberid, citty ,likes,error,error_message\n1,a,b,c,d\n",
                StandardCharsets.UTF_8);
        Path fine = Files.writeString(dir.resolve("fine.csv"), "numberid,city,search.likes\n1,a,b\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> check.beforeFirstBatch(typo.toFile(), "22/modify-records/typo.csv", "22", "modify-records"))
                .isInstanceOf(UnknownColumnsException.class).hasMessageContaining("a column that project 22 has no field for: citty");
        check.beforeFirstBatch(fine.toFile(), "22/modify-records/fine.csv", "22", "modify-records");
        check.beforeFirstBatch(typo.toFile(), "any", "22", "update-outbound-records");
        assertThat(reads).as("each file reads the fields afresh; Genesys has none").hasValue(2);
    }
}
