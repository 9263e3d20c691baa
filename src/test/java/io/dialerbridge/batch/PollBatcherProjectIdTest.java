package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The projectid of a Kafka record, from its value, its header or kafka.default-project (io.dialerbridge.element.ProjectId). */
class PollBatcherProjectIdTest {

    private static final String TOPIC = "dialer.modify-records";

    private final PollBatcher batcher = new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 3);

    private Element element(String projectid, String header) {
        String value = "{" + (projectid == null ? "" : "\"projectid\":" + projectid + ",")
                + "\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}";
        return batcher.element(new PolledRecord(TOPIC, 0, 5, value, header));
    }

    @Test
    void a_value_projectid_that_is_not_a_positive_whole_number_is_refused_before_it_names_anything() {
        for (String wrong : new String[] {"\"22?x=1\"", "\"abc\"", "-22", "22.5", "true", "\"22/../22\"", "\"22#frag\"",
                "\"2%32\"", "\"\"", "\"../../../../tmp/x\""}) {
            Element element = element(wrong, null);
            assertThat(element.rejection()).as(wrong).isNotNull();
            assertThat(element.rejection().error()).as(wrong).isEqualTo("error.wrong_projectid");
            assertThat(element.rejection().message()).as(wrong).contains(wrong).contains("positive whole number");
            assertThat(element.rejection().httpStatus()).isZero();
            assertThat(element.projectId()).as("a wrong value never becomes the element's project").isNull();
        }
    }

    @Test
    void an_empty_projectid_string_is_refused_with_a_reason_that_says_what_it_is() {
        assertThat(element("\"\"", null).rejection().message()).contains("projectid \"\" is not a positive whole number")
                .doesNotContain("must be a number or a string");
    }

    @Test
    void a_wrong_projectid_header_is_refused_and_never_becomes_the_project() {
        Element element = element(null, "22?x=1");
        assertThat(element.rejection().error()).isEqualTo("error.wrong_projectid");
        assertThat(element.rejection().message()).contains("header").contains("\"22?x=1\"");
        assertThat(element.projectId()).isNull();
        assertThat(element("22", "../x").rejection().error()).isEqualTo("error.wrong_projectid");
        // a record rejected for another reason before its value is read does not carry the wrong header either
        Element undecodable = batcher.element(new PolledRecord(TOPIC, 0, 6, new byte[] {(byte) 0xff}, "../../x"));
        assertThat(undecodable.rejection().error()).isEqualTo("error.malformed_encoding");
        assertThat(undecodable.projectId()).isNull();
    }

    @Test
    void digits_are_taken_in_canonical_form_and_value_and_header_agree_by_number() {
        assertThat(element("\" 022 \"", null).projectId()).isEqualTo("22");
        assertThat(element("\"22\"", null).isValid()).isTrue();
        assertThat(element("22", " 22").isValid()).isTrue();
        assertThat(element("\"022\"", "22").isValid()).isTrue();
        assertThat(element(null, "22").projectId()).isEqualTo("22");
        assertThat(element("23", "22").rejection().error()).isEqualTo("error.ambiguous_projectid");
    }
}
