package io.dialerbridge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fingerprint's hash and byte form: MurmurHash3 x64 128 as its reference gives it, and a byte form that
 * tells apart exactly the values the canonical text tells apart (key order aside), so a change of value always
 * changes the fingerprint's input.
 */
class CanonicalHashProperties {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Values of the reference implementation (Apache Commons Codec's MurmurHash3.hash128x64, seed 0: h1, h2). */
    @Example
    void the_hash_is_murmur3_x64_128_as_its_reference_gives_it() {
        assertThat(hex("")).isEqualTo("0000000000000000 0000000000000000");
        assertThat(hex("a")).isEqualTo("85555565f6597889 e6b53a48510e895a");
        assertThat(hex("hello")).isEqualTo("cbd8a7b341bd9b02 5b1e906a48ae1d19");
        assertThat(hex("0123456789abcdef")).isEqualTo("4be06d94cf4ad1a7 87c35b5c63a708da");
        assertThat(hex("{\"numberid\":\"1\",\"form\":{\"city\":\"City 1\"}}"))
                .isEqualTo("a82d534a8bb89e9f 8cf9821c7bb6810f");
    }

    private static String hex(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] hash = CanonicalHash.murmur3x64x128(data, data.length);
        return HexFormat.of().formatHex(reversed(hash, 0)) + " " + HexFormat.of().formatHex(reversed(hash, 8));
    }

    private static byte[] reversed(byte[] hash, int from) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = hash[from + 7 - i];
        }
        return out;
    }

    @Property(tries = 2000)
    void two_values_give_the_same_bytes_exactly_when_their_canonical_text_is_the_same(
            @ForAll("values") JsonNode a, @ForAll("values") JsonNode b) {
        boolean sameText = text(a).equals(text(b));
        boolean sameBytes = java.util.Arrays.equals(bytes(a), bytes(b));
        assertThat(sameBytes).as("%s against %s", a, b).isEqualTo(sameText);
        assertThat(java.util.Arrays.equals(hash(a), hash(b))).isEqualTo(sameText);
    }

    @Property(tries = 500)
    void the_order_of_an_object_s_keys_does_not_change_the_fingerprint(@ForAll("values") JsonNode value,
                                                                       @ForAll long seed) {
        assertThat(hash(shuffled(value, new Random(seed)))).isEqualTo(hash(value));
    }

    @Property(tries = 1000)
    void any_one_change_of_a_text_changes_the_fingerprint(@ForAll("texts") String text, @ForAll("texts") String other) {
        ObjectNode a = JSON.objectNode().put("numberid", "1");
        a.putObject("form").put("city", text);
        ObjectNode b = JSON.objectNode().put("numberid", "1");
        b.putObject("form").put("city", other);
        assertThat(java.util.Arrays.equals(hash(a), hash(b))).isEqualTo(text.equals(other));
    }

    @Example
    void text_number_and_decimal_digits_are_told_apart() {
        assertThat(hash(JSON.textNode("1"))).isNotEqualTo(hash(JSON.numberNode(1)));
        assertThat(hash(JSON.numberNode(new BigDecimal("10.00")))).isNotEqualTo(hash(JSON.numberNode(new BigDecimal("10.0"))));
        assertThat(hash(JSON.textNode("null"))).isNotEqualTo(hash(JSON.nullNode()));
        assertThat(hash(JSON.textNode("\u00e9"))).isNotEqualTo(hash(JSON.textNode("\u00c3\u00a9")));
    }

    private static String text(JsonNode node) {
        StringBuilder out = new StringBuilder();
        RecordFingerprint.canonical(node, out);
        return out.toString();
    }

    private static byte[] bytes(JsonNode node) {
        return CanonicalHash.start().value(node).written();
    }

    private static byte[] hash(JsonNode node) {
        return CanonicalHash.start().value(node).fingerprint();
    }

    private static JsonNode shuffled(JsonNode node, Random random) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.shuffle(names, random);
            ObjectNode copy = JSON.objectNode();
            names.forEach(name -> copy.set(name, shuffled(node.get(name), random)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.arrayNode();
            node.forEach(item -> copy.add(shuffled(item, random)));
            return copy;
        }
        return node;
    }

    @Provide
    Arbitrary<String> texts() {
        // few letters, so that values often agree; quotes, backslashes, accents, CJK and surrogate pairs included
        return Arbitraries.strings().withChars('a', 'b', '"', '\\', '\u00e9', '\u00c3', '\u00ff', '\u4e2d', '\ud83d', '\ude00', '\u0000')
                .ofMaxLength(4);
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return Arbitraries.recursive(this::leaf, this::container, 3);
    }

    private Arbitrary<JsonNode> leaf() {
        return Arbitraries.oneOf(
                texts().map(JSON::textNode),
                Arbitraries.integers().between(-2, 12).map(i -> (JsonNode) JSON.numberNode(i)),
                Arbitraries.of("1", "1.0", "10.00", "-0", "1E+3").map(d -> (JsonNode) JSON.numberNode(new BigDecimal(d))),
                Arbitraries.of(true, false).map(JSON::booleanNode),
                Arbitraries.just(JSON.nullNode()));
    }

    private Arbitrary<JsonNode> container(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> objects = Arbitraries.maps(Arbitraries.of("a", "b", "c", "a\"", "\u00e9"), inner).ofMaxSize(3)
                .map(map -> {
                    ObjectNode object = JSON.objectNode();
                    map.forEach(object::set);
                    return object;
                });
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(3).map(list -> {
            ArrayNode array = JSON.arrayNode();
            list.forEach(array::add);
            return array;
        });
        return Arbitraries.oneOf(objects, arrays);
    }
}
