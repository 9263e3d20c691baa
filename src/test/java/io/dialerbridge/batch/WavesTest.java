package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order invariant of the file path over generated inputs and completion schedules: the
 * batches of one wave are answered in any order, element by element (as parallel senders,
 * bisection and element re-sends answer them); waves go one after another. Every record must see
 * its changes applied in input order.
 */
class WavesTest {

    private static Element change(int line, Random random, int records) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (random.nextInt(10) == 0) {
            body.put("numberid", "not a number");
        } else if (random.nextBoolean()) {
            body.put("numberid", String.valueOf(random.nextInt(records)));
        } else {
            body.putObject("search").put("name", "n" + random.nextInt(records));
        }
        body.putObject("form").put("city", "line " + line);
        return new Element("f:" + line, "22", Operation.MODIFY_RECORDS, body, null,
                SourceRef.fileLine("f", line), null, null);
    }

    private static List<Element> elementsOf(Work work) {
        return work instanceof Batch batch ? batch.elements() : List.of(((Rejected) work).element());
    }

    @Test
    void a_later_change_to_a_record_is_never_applied_before_an_earlier_one_under_any_completion_schedule() {
        int cases = 0;
        for (long seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            int records = 1 + random.nextInt(8);
            int maxRecords = 1 + random.nextInt(40);
            int lines = random.nextInt(150);
            List<Element> input = new ArrayList<>();
            for (int line = 1; line <= lines; line++) {
                input.add(change(line, random, records));
            }
            Waves waves = new Waves(new Batcher(input.iterator(),
                    e -> e.body().path("numberid").asText().equals("not a number")
                            ? Rejection.beforeSending("error.wrong_numberid", "bad") : null,
                    1 + random.nextInt(10), Duration.ofHours(1), Clock.systemUTC()), maxRecords);

            List<Element> seen = new ArrayList<>();
            Map<String, Integer> applied = new HashMap<>();
            List<Work> previous = null;
            while (waves.hasNext()) {
                List<Work> wave = new ArrayList<>();
                waves.next().forEachRemaining(wave::add);
                assertThat(wave).as("seed %d", seed).isNotEmpty();
                Set<String> inWave = new HashSet<>();
                for (Work work : wave) {
                    seen.addAll(elementsOf(work));
                    if (work instanceof Batch batch) {
                        for (Element element : batch.elements()) {
                            assertThat(inWave.add(element.recordKey())).as("seed %d: one record twice in a wave", seed).isTrue();
                        }
                    }
                }
                if (previous != null) {
                    // a wave ends only before a batch that changes one of its records, or when full
                    Set<String> before = new HashSet<>();
                    previous.stream().filter(w -> w instanceof Batch).flatMap(w -> ((Batch) w).elements().stream())
                            .forEach(e -> before.add(e.recordKey()));
                    assertThat(wave.get(0)).isInstanceOf(Batch.class);
                    assertThat(before.size() >= maxRecords
                            || ((Batch) wave.get(0)).elements().stream().anyMatch(e -> before.contains(e.recordKey())))
                            .as("seed %d: wave ended without need", seed).isTrue();
                }
                // the wave's elements are answered in a random order
                List<Element> answers = new ArrayList<>();
                wave.stream().filter(w -> w instanceof Batch).forEach(w -> answers.addAll(((Batch) w).elements()));
                java.util.Collections.shuffle(answers, random);
                for (Element element : answers) {
                    Integer before = applied.put(element.recordKey(), (int) element.source().line());
                    assertThat(before == null || before < element.source().line())
                            .as("seed %d: %s applied after a later change", seed, element.recordKey()).isTrue();
                }
                previous = wave;
            }
            // every element once; the batched ones in input order (a rejection goes out at once)
            assertThat(seen).as("seed %d", seed).extracting(Element::id)
                    .containsExactlyInAnyOrderElementsOf(input.stream().map(Element::id).toList());
            assertThat(seen.stream().filter(Element::isValid).map(Element::id).toList()).as("seed %d", seed)
                    .isEqualTo(input.stream().filter(e -> !e.body().path("numberid").asText().equals("not a number"))
                            .map(Element::id).toList());
            Map<String, Integer> expected = new HashMap<>();
            input.stream().filter(e -> !e.body().path("numberid").asText().equals("not a number"))
                    .forEach(e -> expected.put(e.recordKey(), (int) e.source().line()));
            assertThat(applied).as("seed %d: each record ends with its last change", seed).isEqualTo(expected);
            cases++;
        }
        System.out.println("WavesTest: " + cases + " generated inputs and completion schedules");
    }

    @Test
    void a_file_whose_elements_change_different_records_is_one_wave() {
        List<Element> input = new ArrayList<>();
        for (int line = 1; line <= 5000; line++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("numberid", String.valueOf(line));
            input.add(new Element("f:" + line, "22", Operation.MODIFY_RECORDS, body, null, SourceRef.fileLine("f", line), null, null));
        }
        Waves waves = new Waves(new Batcher(input.iterator(), e -> null, 500, Duration.ofHours(1), Clock.systemUTC()));
        List<Work> wave = new ArrayList<>();
        waves.next().forEachRemaining(wave::add);
        assertThat(wave).hasSize(10);
        assertThat(waves.hasNext()).isFalse();
    }

    @Test
    void the_next_wave_is_refused_while_the_previous_one_is_not_sent_whole() {
        List<Element> input = new ArrayList<>();
        for (int line = 1; line <= 4; line++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("numberid", String.valueOf(line % 2));
            input.add(new Element("f:" + line, "22", Operation.MODIFY_RECORDS, body, null, SourceRef.fileLine("f", line), null, null));
        }
        Waves waves = new Waves(new Batcher(input.iterator(), e -> null, 1, Duration.ofHours(1), Clock.systemUTC()));
        Iterator<Work> first = waves.next();
        first.next();
        org.assertj.core.api.Assertions.assertThatThrownBy(waves::next).isInstanceOf(IllegalStateException.class);
    }
}
