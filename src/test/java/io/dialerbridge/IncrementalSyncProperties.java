package io.dialerbridge;

import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariant of incremental sync, over the real routes and the sandbox: for any sequence of snapshots
 * and any schedule of values the dialer refuses, the dialer's records after incremental runs equal its
 * records after full runs of the same snapshots; and each incremental run sends exactly the records whose
 * values differ from those the dialer last accepted (changed, new, or refused before: a refusal leaves the
 * record's values unknown, so its next row is sent whatever it holds; a record that left
 * the previous snapshot counts as new), nothing else.
 *
 * <p>Some nights also cut the dialer's answers: the next {@code cuts} requests of project 22 are applied by the
 * dialer, then the connection drops before the answer is whole (the outcome is unknown to the bridge, which
 * retries, and after {@code retry.max-retries} dead-letters). A record sent on such a night may have been accepted
 * or dead-lettered; either way, on every night, <b>no row is skipped whose values the dialer does not hold</b>.
 *
 * <p>One bridge serves every try: project 22 in {@code incremental} mode, and project 24, a twin of 22
 * with the same records, in {@code full} mode; each night's snapshot goes to both. A try changes
 * records of its own.
 */
class IncrementalSyncProperties {

    private static final int RECORDS = 6;
    private static final List<String> CITIES = List.of("Pécs", "Győr", "Eger");
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static Path home;
    private static BridgeHarness harness;
    private static Bridge bridge;

    @BeforeContainer
    static void start() throws Exception {
        home = Files.createTempDirectory("incremental-sync");
        harness = BridgeHarness.withSandbox(home, twinProjects(2_000));
        bridge = harness.startBridge(Map.of("sync.mode", "incremental", "projects.24.sync.mode", "full",
                "progress.interval", "60000"), false);
    }

    @AfterContainer
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A row of a snapshot: a record (by index) and its city. */
    record Row(int index, String city) {
    }

    /**
     * One night: the snapshot's rows (a record may appear twice: the last row wins), the cities refused that night,
     * and how many requests of project 22 lose their answer after the dialer applied them.
     */
    record Night(List<Row> snapshot, Set<String> refused, int cuts) {
        Set<Integer> records() {
            return new java.util.HashSet<>(snapshot.stream().map(Row::index).toList());
        }
    }

    @Property(tries = 10)
    void incremental_runs_leave_the_dialer_as_full_runs_do_and_send_only_what_differs(
            @ForAll("nights") List<Night> nights) throws Exception {
        int try_ = TRIES.incrementAndGet();
        int base = try_ * 10;
        Map<Integer, String> lastAccepted = new HashMap<>();
        int night = 0;
        // records sent on a night whose answers were cut: accepted or dead-lettered, the bridge alone knows
        Set<Integer> uncertain = new java.util.HashSet<>();
        for (Night n : nights) {
            night++;
            harness.faults(faults(n));
            Map<Integer, String> dialerBefore = new HashMap<>();
            for (int index : n.records()) {
                dialerBefore.put(index, harness.city("22", base + index));
            }
            long before = IncrementalSyncEndToEndTest.lastSeq(harness);
            Path snapshot = snapshot(try_ + "-" + night + ".ndjson", base, n.snapshot());
            RunReport incremental = bridge.send(snapshot, "22", Operation.MODIFY_RECORDS);
            List<String> sent = IncrementalSyncEndToEndTest.sentNumberids(harness, before);
            harness.faults(refusals(n.refused()));
            RunReport full = bridge.send(snapshot, "24", Operation.MODIFY_RECORDS);
            assertThat(full.unchanged()).isZero();
            assertThat(full.elements()).isEqualTo(n.snapshot().size());
            assertThat(incremental.elements()).as("conservation").isEqualTo(n.snapshot().size());
            assertThat(incremental.accepted() + incremental.deadLettered() + incremental.unchanged())
                    .as("conservation: each row accepted, dead-lettered or unchanged").isEqualTo(n.snapshot().size());

            // the safety of skipping, whatever the faults: a record none of whose rows went out tonight holds, in
            // the dialer, the values of each of its rows (they were all counted unchanged)
            Set<String> sentRecords = new java.util.HashSet<>(sent);
            for (Row row : n.snapshot()) {
                if (!sentRecords.contains(String.valueOf(base + row.index()))) {
                    assertThat(dialerBefore.get(row.index())).as("night %d skipped record %d: the dialer holds its row",
                            night, base + row.index()).isEqualTo(row.city());
                }
            }

            // a record is sent when its values differ from the accepted ones, and so is every later row of a record
            // sent tonight; a record sent on a night of cut answers may go either way
            List<String> expected = new ArrayList<>();
            List<Row> sentRows = new ArrayList<>();
            Set<Integer> sentTonight = new java.util.HashSet<>();
            for (Row row : n.snapshot()) {
                if (sentTonight.contains(row.index()) || !row.city().equals(lastAccepted.get(row.index()))) {
                    sentTonight.add(row.index());
                    sentRows.add(row);
                    expected.add(String.valueOf(base + row.index()));
                }
            }
            if (n.cuts() == 0) {
                Set<String> mayGoEitherWay = new java.util.HashSet<>();
                uncertain.forEach(index -> mayGoEitherWay.add(String.valueOf(base + index)));
                List<String> certainSent = sent.stream().filter(id -> !mayGoEitherWay.contains(id)).toList();
                List<String> certainExpected = expected.stream().filter(id -> !mayGoEitherWay.contains(id)).toList();
                assertThat(certainSent).as("night %d sends exactly the records that differ from what the dialer accepted", night)
                        .containsExactlyInAnyOrderElementsOf(certainExpected);
                if (uncertain.isEmpty()) {
                    assertThat(incremental.unchanged()).isEqualTo(n.snapshot().size() - expected.size());
                }
            } else {
                assertThat(sentRecords).as("night %d sends at least the records that differ", night)
                        .containsAll(expected);
            }
            // a record the snapshot no longer names is forgotten (listed as removed): sent again if it comes back
            lastAccepted.keySet().retainAll(n.records());
            uncertain.retainAll(n.records());
            // each row sent, in order: accepted, its values are the record's; refused, the record's are unknown
            // (forgotten: its next row is sent whatever its values); on a night of cut answers, either
            Set<Integer> recordsSentTonight = new java.util.HashSet<>();
            for (String id : sentRecords) {
                recordsSentTonight.add(Integer.parseInt(id) - base);
            }
            for (Row row : n.snapshot()) {
                if (!recordsSentTonight.contains(row.index())) {
                    continue;
                }
                if (n.cuts() > 0) {
                    uncertain.add(row.index());
                    lastAccepted.put(row.index(), row.city());
                } else if (n.refused().contains(row.city())) {
                    uncertain.remove(row.index());
                    lastAccepted.remove(row.index());
                } else {
                    uncertain.remove(row.index());
                    lastAccepted.put(row.index(), row.city());
                }
            }
        }
        harness.clearFaults();
        for (int index = 1; index <= RECORDS; index++) {
            assertThat(harness.city("22", base + index)).as("record %d", base + index)
                    .isEqualTo(harness.city("24", base + index));
        }
    }

    /** The case the testers found: a change applied by the dialer whose answer was lost, then the old values again. */
    @net.jqwik.api.Example
    void a_change_whose_answer_was_lost_is_sent_back_when_the_old_values_return() throws Exception {
        incremental_runs_leave_the_dialer_as_full_runs_do_and_send_only_what_differs(List.of(
                new Night(List.of(new Row(1, "Eger")), Set.of(), 0),
                new Night(List.of(new Row(1, "Győr")), Set.of(), 7),
                new Night(List.of(new Row(1, "Eger")), Set.of(), 0)));
    }

    @Provide
    Arbitrary<List<Night>> nights() {
        Arbitrary<List<Row>> snapshot = Combinators.combine(Arbitraries.integers().between(1, RECORDS), Arbitraries.of(CITIES))
                .as(Row::new).list().ofMaxSize(RECORDS + 2);
        Arbitrary<Set<String>> refused = Arbitraries.of(CITIES).set().ofMaxSize(2);
        // most nights answer whole; some cut 1 to 4 answers (the batch goes through on a retry) and some 5 to 7 (a
        // first request and its 4 retries: the batch is dead-lettered, though the dialer applied it)
        Arbitrary<Integer> cuts = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 4)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(5, 7)));
        return Combinators.combine(snapshot, refused, cuts).as(Night::new).list().ofMinSize(2).ofMaxSize(4);
    }

    /** The sandbox's seed with records 1..records in project 22 and in its twin, project 24. */
    private static io.dialerbridge.sandbox.SandboxSettings twinProjects(int records) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode seed = (com.fasterxml.jackson.databind.node.ObjectNode)
                BridgeHarness.JSON.readTree(io.dialerbridge.sandbox.SandboxSettings.DEFAULT_SEED_FILE.toFile());
        com.fasterxml.jackson.databind.node.ArrayNode projects = (com.fasterxml.jackson.databind.node.ArrayNode) seed.path("vcc").path("projects");
        for (com.fasterxml.jackson.databind.JsonNode project : projects) {
            if (project.path("projectid").asInt() == 22) {
                com.fasterxml.jackson.databind.node.ObjectNode twin = project.deepCopy();
                com.fasterxml.jackson.databind.node.ArrayNode list = twin.putArray("records");
                for (int numberid = 1; numberid <= records; numberid++) {
                    list.addObject().put("numberid", numberid).putObject("data").put("name", "Person " + numberid);
                }
                ((com.fasterxml.jackson.databind.node.ObjectNode) project).set("records", list.deepCopy());
                twin.put("projectid", 24).put("name", "twin of 22");
                projects.add(twin);
                break;
            }
        }
        Path file = home.resolve("seed.json");
        BridgeHarness.JSON.writeValue(file.toFile(), seed);
        io.dialerbridge.sandbox.SandboxSettings defaults = io.dialerbridge.sandbox.SandboxSettings.defaults();
        return new io.dialerbridge.sandbox.SandboxSettings(defaults.host(), 0, defaults.customer(), defaults.token(),
                defaults.gwsUser(), defaults.gwsPassword(), file, null);
    }

    /** The night's refusals, and its cut answers on project 22's modify-records requests. */
    private static String faults(Night night) {
        String refusals = refusals(night.refused());
        if (night.cuts() == 0) {
            return refusals;
        }
        return refusals.substring(0, refusals.length() - 1) + ",\"disconnects\":{\"path\":\"/v2/projects/22/records\","
                + "\"method\":\"PUT\",\"times\":" + night.cuts() + "}}";
    }

    private static String refusals(Set<String> cities) {
        StringBuilder json = new StringBuilder("{\"elementErrors\":[");
        int i = 0;
        for (String city : cities) {
            json.append(i++ > 0 ? "," : "").append("{\"operation\":\"modify-records\",\"field\":\"city\",\"value\":\"")
                    .append(city).append("\",\"error\":\"error.refused_tonight\"}");
        }
        return json.append("]}").toString();
    }

    private static Path snapshot(String name, int base, List<Row> rows) throws Exception {
        StringBuilder text = new StringBuilder();
        rows.forEach(row -> text.append("{\"numberid\":\"").append(base + row.index()).append("\",\"form\":{\"city\":\"")
                .append(row.city()).append("\"}}\n"));
        Path file = home.resolve("snapshots").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
