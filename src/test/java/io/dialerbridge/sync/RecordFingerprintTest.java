package io.dialerbridge.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.source.StrictJson;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordFingerprintTest {

    private final RecordFingerprint fingerprints = new RecordFingerprint(ProjectDefaults.fromProperties(Map.of()));

    private byte[] of(String json) throws Exception {
        ObjectNode body = (ObjectNode) StrictJson.read(json);
        return fingerprints.of(new Element("id", "22", Operation.MODIFY_RECORDS, body, null,
                SourceRef.fileLine("f", 1), null, null));
    }

    @Test
    void a_decimal_s_fingerprint_is_the_same_each_time_and_follows_its_digits() throws Exception {
        String element = "{\"numberid\":\"1\",\"form\":{\"price\":10.00,\"big\":1E400}}";
        assertThat(of(element)).isEqualTo(of(element));
        assertThat(of(element)).isNotEqualTo(of(element.replace("10.00", "10.0")));
    }
}
