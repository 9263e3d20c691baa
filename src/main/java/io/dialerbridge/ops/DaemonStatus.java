package io.dialerbridge.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dialerbridge.dialer.DialerReachability;
import io.dialerbridge.policy.DialerGate;
import io.dialerbridge.source.Inbox;
import io.dialerbridge.source.InboxLease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What this daemon is doing, for the status page (route status-page, on the management port): per
 * project and operation the files waiting and in progress and the elements accepted, dead-lettered
 * and retried since it started; the files in progress with their counts; the files finished lately
 * (done/ or failed/) with their report's counts or the reason; dead letters by error; throughput over
 * the last ten minutes; whether it holds the inbox lease, whether the dialers answer, whether Kafka is
 * on. Served as JSON ({@link #json}) and as a plain HTML page of the same data ({@link #html}).
 * Never a credential: only counts, file names under BRIDGE_HOME, dialer addresses without user
 * information, and the reasons the bridge itself wrote.
 */
public final class DaemonStatus {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int REASON_LENGTH = 300;

    private final Path home;
    private final Progress progress;
    private final MeterRegistry registry;
    private final InboxLease lease;
    private final DialerReachability dialers;
    private final DialerGate gate;
    private final boolean kafkaOn;
    private final Clock clock;
    private final int recentFiles;

    public DaemonStatus(Path home, Progress progress, MeterRegistry registry, InboxLease lease, DialerReachability dialers,
                        DialerGate gate, boolean kafkaOn, Clock clock, int recentFiles) {
        this.home = home;
        this.progress = progress;
        this.registry = registry;
        this.lease = lease;
        this.dialers = dialers;
        this.gate = gate;
        this.kafkaOn = kafkaOn;
        this.clock = clock;
        this.recentFiles = recentFiles;
    }

    /** The status as JSON. */
    public String json() {
        try {
            return JSON.writeValueAsString(snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status as a page (server-rendered, refreshed by the browser every 5 seconds). */
    public String html() {
        return StatusPage.render(snapshot());
    }

    /**
     * The report of a file finished in done/, named as on the status page ({@code 22/modify-records/a.csv}),
     * or null when there is none: only a report under done/ is ever read, whatever the name.
     */
    public String report(String file) throws IOException {
        if (file == null || !Inbox.isInput(file)) {
            return null;
        }
        Path done = home.resolve("done").toAbsolutePath().normalize();
        Path report = done.resolve(file + ".report.json").normalize();
        if (!report.startsWith(done) || !Files.isRegularFile(report)) {
            return null;
        }
        return Files.readString(report, StandardCharsets.UTF_8);
    }

    /** The status as plain maps and lists: what {@link #json} writes and {@link #html} shows. */
    public Map<String, Object> snapshot() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("time", time(clock.instant()));
        status.put("daemon", daemon());
        List<Progress.Standing> standings = progress.standings();
        List<Map<String, Object>> waiting = waiting().stream().filter(file -> standings.stream()
                .noneMatch(standing -> standing.source().equals(file.get("file")))).toList();
        status.put("operations", operations(waiting, standings));
        List<Map<String, Object>> inProgress = new ArrayList<>();
        for (Progress.Standing standing : standings) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("source", standing.source());
            source.put("project", standing.project());
            source.put("operation", standing.operation());
            source.put("accepted", standing.accepted());
            source.put("deadLettered", standing.deadLettered());
            source.put("ignored", standing.ignored());
            source.put("perSecond", Math.round(standing.perSecond() * 10) / 10.0);
            source.put("startedAt", time(standing.startedAt()));
            inProgress.add(source);
        }
        status.put("inProgress", inProgress);
        status.put("waiting", waiting);
        status.put("recent", recent());
        Map<String, Long> byError = new TreeMap<>();
        for (Counter counter : registry.find("dialer_bridge_elements_dead_lettered").counters()) {
            byError.merge(counter.getId().getTag("error"), (long) counter.count(), Long::sum);
        }
        status.put("deadLetteredByError", byError);
        status.put("throughputPerSecond", Map.of("slotSeconds", Progress.SLOT_SECONDS, "rates", progress.throughput()));
        return status;
    }

    private Map<String, Object> daemon() {
        Map<String, Object> daemon = new LinkedHashMap<>();
        Map<String, Object> inboxLease = new LinkedHashMap<>();
        inboxLease.put("shared", lease.isShared());
        inboxLease.put("active", lease.isActive());
        inboxLease.put("activeSince", time(lease.activeSince()));
        inboxLease.put("takeOvers", lease.takeOvers());
        daemon.put("inboxLease", inboxLease);
        List<Map<String, Object>> dialerStates = new ArrayList<>();
        for (DialerReachability.State state : dialers.states().values()) {
            Map<String, Object> dialer = new LinkedHashMap<>();
            dialer.put("name", state.name());
            dialer.put("address", state.address());
            dialer.put("reachable", state.reachable());
            dialer.put("since", time(state.since()));
            dialer.put("cause", state.cause());
            dialerStates.add(dialer);
        }
        daemon.put("dialers", dialerStates);
        daemon.put("credentialsRefused", gate.isCredentialsRefused());
        daemon.put("kafka", kafkaOn ? "on" : "off");
        return daemon;
    }

    /** Per project and operation: files waiting, sources in progress (files, Kafka topics), elements accepted, dead-lettered and retried. */
    private List<Map<String, Object>> operations(List<Map<String, Object>> waiting, List<Progress.Standing> standings) {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        for (Map<String, Object> file : waiting) {
            row(rows, (String) file.get("project"), (String) file.get("operation"))
                    .merge("filesWaiting", 1L, (a, b) -> (Long) a + (Long) b);
        }
        for (Progress.Standing standing : standings) {
            row(rows, standing.project(), standing.operation()).merge("inProgress", 1L, (a, b) -> (Long) a + (Long) b);
        }
        add(rows, "dialer_bridge_elements_accepted", "accepted");
        add(rows, "dialer_bridge_elements_dead_lettered", "deadLettered");
        add(rows, "dialer_bridge_elements_ignored", "ignored");
        add(rows, "dialer_bridge_retries", "retries");
        return new ArrayList<>(rows.values());
    }

    private void add(Map<String, Map<String, Object>> rows, String meter, String key) {
        for (Counter counter : registry.find(meter).counters()) {
            row(rows, counter.getId().getTag("project"), counter.getId().getTag("operation"))
                    .merge(key, (long) counter.count(), (a, b) -> (Long) a + (Long) b);
        }
    }

    private static Map<String, Object> row(Map<String, Map<String, Object>> rows, String project, String operation) {
        return rows.computeIfAbsent(project + "/" + operation, key -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("project", project);
            row.put("operation", operation);
            row.put("filesWaiting", 0L);
            row.put("inProgress", 0L);
            row.put("accepted", 0L);
            row.put("deadLettered", 0L);
            row.put("ignored", 0L);
            row.put("retries", 0L);
            return row;
        });
    }

    /** The input files in inbox/<project>/<operation>/, oldest first (not the hidden, partial ones, nor Camel's lock markers). */
    private List<Map<String, Object>> waiting() {
        Path inbox = home.resolve("inbox");
        List<Map<String, Object>> files = new ArrayList<>();
        for (Path file : filesUnder(inbox, name -> true)) {
            Path relative = inbox.relativize(file);
            if (!Inbox.isInput(relative.toString())) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", relative.toString().replace('\\', '/'));
            entry.put("project", relative.getName(0).toString());
            entry.put("operation", relative.getName(1).toString());
            entry.put("since", time(modified(file)));
            files.add(entry);
        }
        files.sort(Comparator.comparing(file -> (String) file.get("since")));
        return files;
    }

    /** The files finished lately, newest first: done/ with their report's counts, failed/ with the reason. */
    private List<Map<String, Object>> recent() {
        List<Path> finished = new ArrayList<>();
        finished.addAll(filesUnder(home.resolve("done"), name -> name.endsWith(".report.json") && !name.startsWith(".")));
        finished.addAll(filesUnder(home.resolve("failed"), name -> name.endsWith(".reason.txt")));
        finished.sort(Comparator.comparing(DaemonStatus::modified).reversed());
        List<Map<String, Object>> recent = new ArrayList<>();
        for (Path file : finished.subList(0, Math.min(recentFiles, finished.size()))) {
            boolean done = file.startsWith(home.resolve("done"));
            Path folder = home.resolve(done ? "done" : "failed");
            String name = file.getFileName().toString();
            String input = name.substring(0, name.length() - (done ? ".report.json" : ".reason.txt").length());
            Path relative = folder.relativize(file.resolveSibling(input));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", relative.toString().replace('\\', '/'));
            entry.put("outcome", done ? "done" : "failed");
            entry.put("finished", time(modified(file)));
            try {
                if (done) {
                    JsonNode report = JSON.readTree(file.toFile());
                    entry.put("elements", report.path("elements").asLong());
                    entry.put("accepted", report.path("accepted").asLong());
                    entry.put("deadLettered", report.path("deadLettered").asLong());
                    entry.put("report", home.relativize(file).toString().replace('\\', '/'));
                } else {
                    String reason = Files.readString(file, StandardCharsets.UTF_8).strip();
                    entry.put("reason", reason.length() > REASON_LENGTH ? reason.substring(0, REASON_LENGTH) + "…" : reason);
                }
            } catch (IOException unreadable) {
                entry.put("reason", "cannot be read: " + unreadable.getClass().getSimpleName());
            }
            recent.add(entry);
        }
        return recent;
    }

    private static List<Path> filesUnder(Path folder, java.util.function.Predicate<String> name) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(folder, 3, (path, attributes) -> attributes.isRegularFile()
                && name.test(path.getFileName().toString()))) {
            return files.toList();
        } catch (NoSuchFileException | UncheckedIOException gone) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A moment to the second, UTC (ISO 8601), or null. */
    private static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** When a file last changed; a file that just went (moved to done/) counts as now. */
    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException gone) {
            return Instant.now();
        }
    }
}
