package io.dialerbridge.element;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.operation.Operation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two elements that change one record in the dialer have one record key, so the order machinery (waves,
 * Kafka's in-flight records) keeps them in order: a numberid spelled several ways ({@code "01"}, {@code " 1"},
 * {@code "+1"}, {@code 1.0}, the number 1) and a search selector with its keys in another order. Two records
 * never share one.
 */
class RecordKeyProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property
    void every_spelling_of_a_numberid_is_one_record(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 10) long numberid,
                                                     @ForAll("spellings") int first, @ForAll("spellings") int second) throws Exception {
        assertThat(element("{\"numberid\":" + spelled(numberid, first) + "}").recordKey())
                .isEqualTo(element("{\"numberid\":" + spelled(numberid, second) + "}").recordKey())
                .isEqualTo("22:" + numberid);
    }

    @Property
    void two_numberids_are_two_records(@ForAll @LongRange(min = 0, max = 1_000_000) long one,
                                       @ForAll @LongRange(min = 0, max = 1_000_000) long other,
                                       @ForAll("spellings") int spelling) throws Exception {
        if (one != other) {
            assertThat(element("{\"numberid\":" + spelled(one, spelling) + "}").recordKey())
                    .isNotEqualTo(element("{\"numberid\":\"" + other + "\"}").recordKey());
        }
    }

    @Property
    void a_search_selector_is_one_record_whatever_the_order_of_its_keys(@ForAll @IntRange(min = 1, max = 6) int keys,
                                                                       @ForAll long seed) throws Exception {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            pairs.add("\"f" + i + "\":\"v" + (seed % 7 + i) + "\"");
        }
        String inOrder = "{\"search\":{" + String.join(",", pairs) + "}}";
        Collections.shuffle(pairs, new Random(seed));
        String shuffled = "{\"search\":{" + String.join(",", pairs) + "}}";
        assertThat(element(shuffled).recordKey()).isEqualTo(element(inOrder).recordKey());
    }

    @Example
    void what_is_not_an_integer_is_kept_as_it_is() throws Exception {
        assertThat(element("{\"numberid\":\"1.5\"}").recordKey()).isEqualTo("22:1.5");
        assertThat(element("{\"numberid\":\"abc\"}").recordKey()).isEqualTo("22:abc");
        assertThat(element("{\"numberid\":\"-1\"}").recordKey()).isEqualTo("22:-1");
        assertThat(element("{\"numberid\":\"+\"}").recordKey()).isEqualTo("22:+");
        assertThat(element("{\"numberid\":\"000\"}").recordKey()).isEqualTo("22:0");
        assertThat(element("{\"numberid\":\".0\"}").recordKey()).isEqualTo("22:.0");
    }

    @Provide
    Arbitrary<Integer> spellings() {
        return Arbitraries.integers().between(0, 6);
    }

    /** One of several ways a source writes a numberid, as JSON. */
    private static String spelled(long numberid, int how) {
        return switch (how) {
            case 0 -> String.valueOf(numberid);
            case 1 -> "\"" + numberid + "\"";
            case 2 -> "\"00" + numberid + "\"";
            case 3 -> "\" " + numberid + " \"";
            case 4 -> "\"+" + numberid + "\"";
            case 5 -> "\"" + numberid + ".00\"";
            // a JSON number with a fraction is read as a double: exact up to 2^53, far beyond any numberid
            default -> numberid < (1L << 53) ? numberid + ".0" : String.valueOf(numberid);
        };
    }

    private static Element element(String body) throws Exception {
        return new Element("k", "22", Operation.MODIFY_RECORDS, (ObjectNode) JSON.readTree(body), null,
                SourceRef.fileLine("f", 1), null, null);
    }
}
