package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several daemons in child JVMs on one BRIDGE_HOME (high availability on a shared folder): one holds
 * the inbox lease and sends, the others stand by; killed with SIGKILL at random moments, a standby
 * takes over within the lease and resumes the file in progress from its journal; paused longer than
 * the lease, the active daemon keeps its files (its lock is still held) and nothing is sent twice.
 */
@Timeout(240)
class SharedFolderTest extends BridgeEndToEndSupport {

    private static final int FILES = 50;
    private static final int PER_FILE = 40;
    private static final int BATCH = 20;
    private static final int IN_FLIGHT = 4;
    private static final long HEARTBEAT = 300;
    private static final int MISSED = 5;
    /** How long after the active daemon died a standby holds the lease: the lease, then the next look. */
    private static final Duration TAKE_OVER = Duration.ofMillis(HEARTBEAT * (MISSED + 1) + 1000);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Daemon> daemons = new ArrayList<>();

    private record Daemon(String name, Process process, int port) {
    }

    @Override
    BridgeHarness newHarness() throws Exception {
        return BridgeHarness.withRecords(home, FILES * PER_FILE);
    }

    @BeforeEach
    void slowDialer() throws Exception {
        harness.faults("{\"latency\":{\"requestMs\":100,\"path\":\"/v2/projects/22/records\"}}");
    }

    @AfterEach
    void stopDaemons() throws Exception {
        for (Daemon daemon : daemons) {
            new ProcessBuilder("kill", "-CONT", String.valueOf(daemon.process().pid())).start().waitFor();
            daemon.process().destroyForcibly();
            daemon.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Daemon startDaemon(String name) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = harness.childEnvironment(home);
        env.put("BATCH_MAX_ELEMENTS", String.valueOf(BATCH));
        env.put("BATCH_MAX_IN_FLIGHT", String.valueOf(IN_FLIGHT));
        env.put("INGEST_FILE_POLL_DELAY", "100");
        env.put("INGEST_FILE_MIN_AGE", "200");
        env.put("CLUSTER_HEARTBEAT_INTERVAL", String.valueOf(HEARTBEAT));
        env.put("CLUSTER_MISSED_HEARTBEATS", String.valueOf(MISSED));
        env.put("MANAGEMENT_ENABLED", "true");
        env.put("MANAGEMENT_PORT", String.valueOf(port));
        Daemon daemon = new Daemon(name, harness.startDaemon(name, env), port);
        daemons.add(daemon);
        return daemon;
    }

    /** The message of a daemon's inbox-lease readiness check, or "" while its health endpoint does not answer. */
    private String lease(Daemon daemon) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port()
                    + "/observe/health/ready?exposureLevel=full")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : BridgeHarness.JSON.readTree(answer.body()).path("checks")) {
                if (check.path("name").asText().equals("inbox-lease")) {
                    return check.path("message").asText();
                }
            }
            return "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private boolean isActive(Daemon daemon) {
        return lease(daemon).startsWith("active");
    }

    private boolean isStandingBy(Daemon daemon) {
        return lease(daemon).startsWith("standby");
    }

    private void dropFiles() throws IOException {
        for (int file = 0; file < FILES; file++) {
            StringBuilder lines = new StringBuilder();
            for (int line = 1; line <= PER_FILE; line++) {
                int numberid = file * PER_FILE + line;
                lines.append("{\"numberid\":\"").append(numberid).append("\",\"form\":{\"age\":\"v").append(numberid)
                        .append("\"}}\n");
            }
            harness.drop("22", "modify-records", String.format("part-%02d.ndjson", file), lines.toString());
        }
    }

    private List<String> done() throws IOException {
        Path folder = home.resolve("done/22/modify-records");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ndjson")).sorted().toList();
        }
    }

    /** Every file in done/ once, with a report that counts each of its elements accepted once; the inbox empty. */
    private void assertEveryFileDoneOnce() throws IOException {
        assertThat(done()).containsExactlyElementsOf(IntStream.range(0, FILES)
                .mapToObj(file -> String.format("part-%02d.ndjson", file)).toList());
        for (String name : done()) {
            JsonNode report = BridgeHarness.JSON.readTree(home.resolve("done/22/modify-records/" + name + ".report.json").toFile());
            assertThat(report.path("elements").asLong()).as(name).isEqualTo(PER_FILE);
            assertThat(report.path("accepted").asLong()).as(name).isEqualTo(PER_FILE);
        }
        try (Stream<Path> left = Files.list(home.resolve("inbox/22/modify-records"))) {
            assertThat(left.filter(p -> p.toString().endsWith(".ndjson")).toList()).isEmpty();
        }
        assertThat(home.resolve("dead-letter")).doesNotExist();
    }

    @Test
    void a_standby_takes_over_within_the_lease_when_the_active_daemon_is_killed() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Daemon first = startDaemon("first");
        await("the first daemon holds the inbox lease").atMost(Duration.ofSeconds(90)).until(() -> isActive(first));
        Daemon second = startDaemon("second");
        Daemon third = startDaemon("third");
        await("the others stand by").atMost(Duration.ofSeconds(90))
                .until(() -> isStandingBy(second) && isStandingBy(third));
        dropFiles();

        List<Daemon> alive = new ArrayList<>(List.of(first, second, third));
        Daemon active = first;
        List<Long> takeOvers = new ArrayList<>();
        List<Integer> killedAt = new ArrayList<>();
        int killAt = 0;
        for (int kill = 0; kill < 2; kill++) {
            int filesDone = killAt + 3 + random.nextInt(12);
            await(filesDone + " files done").atMost(Duration.ofSeconds(60)).until(() -> done().size() >= filesDone);
            killAt = done().size();
            killedAt.add(killAt);
            active.process().destroyForcibly(); // SIGKILL, at a random moment of a file in progress
            long killed = System.nanoTime();
            assertThat(active.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            alive.remove(active);
            await("a standby takes over").atMost(TAKE_OVER.plusSeconds(10))
                    .until(() -> alive.stream().anyMatch(this::isActive));
            takeOvers.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            active = alive.stream().filter(this::isActive).findFirst().orElseThrow();
            assertThat(alive.stream().filter(this::isActive)).as("one active daemon").hasSize(1);
        }
        await("every file done").atMost(Duration.ofSeconds(60)).until(() -> done().size() == FILES);
        assertEveryFileDoneOnce();

        Map<String, Integer> applied = harness.appliedCounts();
        assertThat(applied).as("every element reached the dialer").hasSize(FILES * PER_FILE);
        Set<String> twice = applied.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        Map<Integer, Long> filesSentTwice = twice.stream().collect(Collectors.groupingBy(
                value -> (Integer.parseInt(value.substring(1)) - 1) / PER_FILE, Collectors.counting()));
        System.out.printf("shared folder (seed %d): take-over after SIGKILL in %s ms; %d elements (%d batches) sent "
                + "twice over 2 kills, by file %s; files done at the kills %s%n", seed, takeOvers, twice.size(),
                (twice.size() + BATCH - 1) / BATCH, filesSentTwice, killedAt);
        assertThat(takeOvers).as("take-over within the lease and one look (%s)", TAKE_OVER)
                .allMatch(millis -> millis <= TAKE_OVER.toMillis());
        // Each hand-over of the lease (a kill, or a daemon that missed its heartbeats on a loaded machine and
        // stepped down) may send again the batches the previous holder had in flight, all from the one file it
        // was working on (the inbox takes one file at a time); nothing else is sent twice: a file finished at
        // a kill is finished from its journal (F mark), not sent again.
        int handOvers = activations() - 1;
        System.out.printf("shared folder (seed %d): %d hand-overs of the lease (2 kills)%n", seed, handOvers);
        assertThat(handOvers).as("every kill hands the lease over").isGreaterThanOrEqualTo(2);
        assertThat(applied.values()).as("an element is sent again at most once per hand-over")
                .allMatch(times -> times <= handOvers + 1);
        // sent and not journalled at a hand-over: the batches out at the dialer (IN_FLIGHT request slots) and
        // those whose answer another of the 2 x IN_FLIGHT senders was still accounting for
        assertThat(twice).as("only the batches sent and not yet journalled at a hand-over are sent again")
                .hasSizeLessThanOrEqualTo(handOvers * 2 * IN_FLIGHT * BATCH);
        assertThat(filesSentTwice).as("only the file in progress at a hand-over").hasSizeLessThanOrEqualTo(handOvers);
        Daemon last = active;
        assertThat(metrics(last)).as("the active daemon's metrics say it is active and took the lease over")
                .contains("dialer_bridge_inbox_lease_active 1.0")
                .anyMatch(line -> line.matches("dialer_bridge_inbox_lease_take_overs_total [1-9].*"));
    }

    private List<String> metrics(Daemon daemon) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/observe/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body().lines().toList();
    }

    /** How many times a daemon became the active one, from the daemons' logs (log4j writes to stderr). */
    private int activations() throws Exception {
        int count = 0;
        for (Daemon daemon : daemons) {
            for (Path log : List.of(home.resolve(daemon.name() + ".out"), home.resolve(daemon.name() + ".err"))) {
                if (Files.exists(log)) {
                    for (String line : Files.readAllLines(log)) {
                        if (line.contains("this daemon is now the active one")
                                || line.contains("this daemon lost the inbox lease")) {
                            System.out.println(daemon.name() + ": " + line);
                        }
                        if (line.contains("this daemon is now the active one")) {
                            count++;
                        }
                    }
                }
            }
        }
        return count;
    }

    @Test
    void a_daemon_paused_longer_than_the_lease_keeps_its_files_and_nothing_is_sent_twice() throws Exception {
        Daemon first = startDaemon("first");
        await("the first daemon holds the inbox lease").atMost(Duration.ofSeconds(90)).until(() -> isActive(first));
        Daemon second = startDaemon("second");
        await("the second stands by").atMost(Duration.ofSeconds(90)).until(() -> isStandingBy(second));
        dropFiles();
        await("a few files done").atMost(Duration.ofSeconds(60)).until(() -> done().size() >= 5);

        new ProcessBuilder("kill", "-STOP", String.valueOf(first.process().pid())).start().waitFor();
        int doneAtPause = done().size();
        long requestsAtPause = harness.requests().size();
        // its file lock is still held: the standby sees the heartbeat stop but cannot take the lease
        await("the standby does not take over while the paused daemon holds its lock")
                .during(Duration.ofMillis(3 * HEARTBEAT * MISSED)).atMost(Duration.ofSeconds(20))
                .until(() -> isStandingBy(second) && done().size() == doneAtPause
                        && harness.requests().size() <= requestsAtPause + IN_FLIGHT);
        new ProcessBuilder("kill", "-CONT", String.valueOf(first.process().pid())).start().waitFor();

        await("every file done").atMost(Duration.ofSeconds(60)).until(() -> done().size() == FILES);
        assertEveryFileDoneOnce();
        assertThat(lease(second)).as("the standby never took over").endsWith("(take-overs: 0)");
        assertThat(isActive(first)).isTrue();
        Map<String, Integer> applied = harness.appliedCounts();
        assertThat(applied).hasSize(FILES * PER_FILE);
        assertThat(applied.values()).as("nothing sent twice").allMatch(times -> times == 1);
    }
}
