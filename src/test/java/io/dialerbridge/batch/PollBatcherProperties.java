package io.dialerbridge.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import io.dialerbridge.source.StrictJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka values over arbitrary bytes: every record becomes exactly one element, valid or rejected (a tombstone,
 * a record without a value, is ignored and becomes none); a value
 * that is not UTF-8 is rejected as {@code error.malformed_encoding} with its exact bytes, never decoded
 * with replacement characters; a valid object's text reaches the element unchanged. A value is valid
 * only when it is exactly one object (a key twice, or anything after it, is {@code error.malformed_json}),
 * a leading byte order mark is dropped, and a number is written back with the digits it was read with.
 */
class PollBatcherProperties {

    private static final String TOPIC = "dialer.modify-records";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PollBatcher batcher = new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 10);

    @Property(tries = 200)
    void every_value_is_one_element_and_invalid_utf8_keeps_its_bytes(@ForAll("values") byte[] value) throws Exception {
        Element element = batcher.element(new PolledRecord(TOPIC, 0, 7, value, "22"));

        if (value == null) {
            assertThat(element).as("a tombstone is ignored (counted, committed), not an element").isNull();
            return;
        }
        assertThat(element.source().offset()).isEqualTo(7);
        if (!isUtf8(value)) {
            assertThat(element.rejection().error()).isEqualTo("error.malformed_encoding");
            assertThat(element.rawBytes()).isEqualTo(value);
        } else if (element.body() != null && element.rejection() == null) {
            ObjectNode expected = (ObjectNode) StrictJson.read(new String(value, StandardCharsets.UTF_8));
            expected.remove("default");
            assertThat(element.body()).isEqualTo(expected);
        } else {
            assertThat(element.rawBytes()).isNull();
        }
    }

    /** A value that is one JSON object, perhaps with a BOM, a key twice, or something after it. */
    record ObjectValue(boolean bom, BigDecimal amount, boolean keyTwice, String after) {
        String text() {
            String object = "{\"numberid\":\"4\"," + (keyTwice ? "\"numberid\":\"5\"," : "")
                    + "\"form\":{\"amount\":" + amount + "}}";
            return (bom ? "\uFEFF" : "") + object + after;
        }
    }

    @Property(tries = 200)
    void a_value_is_valid_only_when_it_is_exactly_one_object_and_its_numbers_keep_their_digits(
            @ForAll("objectValues") ObjectValue value) throws Exception {
        Element element = batcher.element(new PolledRecord(TOPIC, 0, 7, value.text(), "22"));

        if (value.keyTwice() || !value.after().isBlank()) {
            assertThat(element.rejection().error()).as(value.text()).isEqualTo("error.malformed_json");
            assertThat(element.raw()).isEqualTo(value.text().replace("\uFEFF", ""));
        } else {
            assertThat(element.rejection()).as(value.text()).isNull();
            assertThat(JSON.writeValueAsString(element.body().get("form")))
                    .isEqualTo("{\"amount\":" + value.amount() + "}");
        }
    }

    @Provide
    Arbitrary<ObjectValue> objectValues() {
        Arbitrary<BigDecimal> amounts = Combinators.combine(
                        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
                        Arbitraries.integers().between(-500, 500))
                .as(BigDecimal::new);
        Arbitrary<String> after = Arbitraries.of("", "", "", " ", "\r\n", "{\"b\":2}", ",", " // comment", "]", " garbage",
                " {", "0", "\"x\"");
        return Combinators.combine(Arbitraries.of(true, false), amounts, Arbitraries.of(false, false, true), after)
                .as(ObjectValue::new);
    }

    @Provide
    Arbitrary<byte[]> values() {
        Arbitrary<byte[]> anyBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> objects = Arbitraries.strings().withChars("aé漢😀\"\\\t\r\n |'")
                .ofMaxLength(12).map(city -> JSON.createObjectNode().put("numberid", "4")
                        .set("form", JSON.createObjectNode().put("city", city)).toString().getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> withInvalid = objects.map(bytes -> {
            byte[] changed = bytes.clone();
            changed[changed.length / 2] = (byte) 0xFF;
            return changed;
        });
        return Arbitraries.oneOf(anyBytes, objects, withInvalid, Arbitraries.just(null));
    }

    private static boolean isUtf8(byte[] value) {
        if (value == null) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
