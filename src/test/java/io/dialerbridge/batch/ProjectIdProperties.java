package io.dialerbridge.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.FileNamePart;
import io.dialerbridge.source.PolledRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary text as a Kafka record's projectid (in the value, or in the header): the record is either sent to
 * exactly the project that text names as a positive whole number, or dead-lettered as error.wrong_projectid
 * with no project; never a request to another path, never a file name with a separator.
 */
class ProjectIdProperties {

    private static final String TOPIC = "dialer.modify-records";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PollBatcher batcher = new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 10);

    @Property(tries = 300)
    void a_projectid_is_its_own_positive_number_or_wrong(@ForAll("projectids") String projectid) {
        String value = JSON.createObjectNode().put("projectid", projectid).put("numberid", "4")
                .set("form", JSON.createObjectNode().put("city", "A")).toString();
        check(projectid, batcher.element(new PolledRecord(TOPIC, 0, 7, value, null)));
        check(projectid, batcher.element(new PolledRecord(TOPIC, 0, 8, "{\"numberid\":\"4\",\"form\":{\"city\":\"A\"}}",
                projectid.isBlank() ? "1" : projectid)), projectid.isBlank());
    }

    private static void check(String projectid, Element element) {
        check(projectid, element, false);
    }

    private static void check(String projectid, Element element, boolean replaced) {
        if (replaced) {
            assertThat(element.projectId()).isEqualTo("1");
            return;
        }
        String trimmed = projectid.strip();
        boolean number = !trimmed.isEmpty() && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')
                && new BigInteger(trimmed).signum() > 0 && new BigInteger(trimmed).bitLength() <= 63;
        if (number) {
            assertThat(element.isValid()).as(projectid).isTrue();
            assertThat(element.projectId()).isEqualTo(new BigInteger(trimmed).toString());
            assertThat(Operation.MODIFY_RECORDS.rules().batchPath(element.projectId())).matches("/projects/[1-9][0-9]*/records");
        } else {
            assertThat(element.rejection()).as(projectid).isNotNull();
            assertThat(element.rejection().error()).isEqualTo("error.wrong_projectid");
            assertThat(element.rejection().httpStatus()).isZero();
            assertThat(element.projectId()).isNull();
        }
        assertThat(FileNamePart.of(element.projectId(), "no-project")).matches("[A-Za-z0-9_-]+");
    }

    @Provide
    Arbitrary<String> projectids() {
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(22);
        Arbitrary<String> tricky = Arbitraries.strings().withChars("0123456789 ./?%#-+e\\:\t\u0662\uff12abc")
                .ofMaxLength(12);
        Arbitrary<String> padded = digits.map(d -> " " + d + " ");
        return Arbitraries.oneOf(digits, tricky, padded, Arbitraries.strings().ofMaxLength(8));
    }
}
