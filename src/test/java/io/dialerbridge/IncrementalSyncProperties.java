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

    /** One night: the snapshot's rows (a record may appear twice: the last row wins) and the cities refused that night. */
    record Night(List<Row> snapshot, Set<String> refused) {
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
        for (Night n : nights) {
            night++;
            harness.faults(refusals(n.refused()));
            long before = IncrementalSyncEndToEndTest.lastSeq(harness);
            Path snapshot = snapshot(try_ + "-" + night + ".ndjson", base, n.snapshot());
            RunReport incremental = bridge.send(snapshot, "22", Operation.MODIFY_RECORDS);
            List<String> sent = IncrementalSyncEndToEndTest.sentNumberids(harness, before);
            RunReport full = bridge.send(snapshot, "24", Operation.MODIFY_RECORDS);
            assertThat(full.unchanged()).isZero();
            assertThat(full.elements()).isEqualTo(n.snapshot().size());

            // a record is sent when its values differ from the accepted ones, and so is every later row of a record sent tonight
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
            assertThat(sent).as("night %d sends exactly the records that differ from what the dialer accepted", night)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(incremental.elements()).as("conservation").isEqualTo(n.snapshot().size());
            assertThat(incremental.unchanged()).isEqualTo(n.snapshot().size() - expected.size());
            // a record the snapshot no longer names is forgotten (listed as removed): sent again if it comes back
            lastAccepted.keySet().retainAll(n.records());
            // each row sent, in order: accepted, its values are the record's; refused, the record's are unknown
            // (forgotten: its next row is sent whatever its values)
            for (Row row : sentRows) {
                if (n.refused().contains(row.city())) {
                    lastAccepted.remove(row.index());
                } else {
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

    @Provide
    Arbitrary<List<Night>> nights() {
        Arbitrary<List<Row>> snapshot = Combinators.combine(Arbitraries.integers().between(1, RECORDS), Arbitraries.of(CITIES))
                .as(Row::new).list().ofMaxSize(RECORDS + 2);
        Arbitrary<Set<String>> refused = Arbitraries.of(CITIES).set().ofMaxSize(2);
        return Combinators.combine(snapshot, refused).as(Night::new).list().ofMinSize(2).ofMaxSize(4);
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
