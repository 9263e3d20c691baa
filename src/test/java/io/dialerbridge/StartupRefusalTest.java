package io.dialerbridge;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dialer-bridge run} in a real child JVM refuses settings that cannot work: one line naming
 * the key and the problem, exit 1, and nothing consumed (the file waiting in the inbox stays there).
 */
@Timeout(120)
class StartupRefusalTest {

    private static final String WAITING = "{\"numberid\":\"1\",\"form\":{\"city\":\"Tata\"}}\n";

    @TempDir
    Path scratch;

    private Path home;
    private Path waiting;

    @BeforeEach
    void aFileWaitsInTheInbox() throws Exception {
        home = scratch.resolve("home");
        waiting = Files.createDirectories(home.resolve("inbox/22/modify-records")).resolve("waiting.ndjson");
        Files.writeString(waiting, WAITING);
    }

    /** Runs the daemon (sandbox mode, health off unless the test says otherwise) and returns its stderr, once it exited 1. */
    private String refusedStart(Map<String, String> extra, String... args) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("BRIDGE_HOME", home.toString());
        environment.put("MANAGEMENT_ENABLED", "false");
        environment.put("INGEST_FILE_MIN_AGE", "0");
        environment.putAll(extra);
        Path err = scratch.resolve("err.txt");
        String[] command = new String[args.length + 1];
        System.arraycopy(args, 0, command, 0, args.length);
        command[args.length] = "run";
        Process daemon = ChildProcess.start(Path.of(".").toAbsolutePath(), environment, scratch.resolve("out.txt"), err, command);
        try {
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("the daemon refuses to start and exits").isTrue();
        } finally {
            daemon.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(daemon.exitValue()).as(stderr).isEqualTo(DialerBridge.FATAL);
        assertThat(Files.readString(waiting)).as("the inbox file is untouched").isEqualTo(WAITING);
        assertThat(home.resolve("done")).as("nothing was consumed").doesNotExist();
        assertThat(home.resolve("failed")).doesNotExist();
        assertThat(stderr.lines().filter(line -> line.startsWith("dialer-bridge: ")))
                .as("one line says why: " + stderr).hasSize(1);
        return stderr;
    }

    @Test
    void a_typo_in_the_settings_file_is_refused_with_the_key_it_resembles() throws Exception {
        Path config = scratch.resolve("settings.properties");
        Files.writeString(config, Files.readString(Path.of("config/application.properties")) + "\nbatch.max-element = 50\n");

        assertThat(refusedStart(Map.of(), "--config", config.toString()))
                .contains("dialer-bridge: unknown setting batch.max-element: did you mean batch.max-elements?");
    }

    @Test
    void an_environment_variable_that_no_code_reads_is_refused() throws Exception {
        assertThat(refusedStart(Map.of("RETRY_MAX_RETRYS", "3")))
                .contains("dialer-bridge: unknown environment variable RETRY_MAX_RETRYS: did you mean RETRY_MAX_RETRIES?");
    }

    @Test
    void a_number_that_is_not_a_number_is_refused() throws Exception {
        assertThat(refusedStart(Map.of("BATCH_MAX_ELEMENTS", "lots"))).contains(
                "dialer-bridge: batch.max-elements is 'lots': it takes a whole number, such as 500 (set by BATCH_MAX_ELEMENTS)");
    }

    @Test
    void a_negative_size_is_refused() throws Exception {
        assertThat(refusedStart(Map.of("BATCH_MAX_IN_FLIGHT", "-4")))
                .contains("dialer-bridge: batch.max-in-flight is -4: it cannot be negative (set by BATCH_MAX_IN_FLIGHT)");
    }

    @Test
    void a_boolean_that_is_not_true_or_false_is_refused() throws Exception {
        assertThat(refusedStart(Map.of("JOURNAL_FSYNC", "yes")))
                .contains("dialer-bridge: journal.fsync is 'yes': it takes true or false (set by JOURNAL_FSYNC)");
    }

    @Test
    void a_health_port_in_use_is_refused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String stderr = refusedStart(Map.of("MANAGEMENT_ENABLED", "true",
                    "MANAGEMENT_PORT", String.valueOf(taken.getLocalPort())));
            assertThat(stderr).contains("dialer-bridge: management.port " + taken.getLocalPort()
                    + " on 127.0.0.1 cannot serve the health endpoint");
        }
    }

    @Test
    void a_bridge_home_that_cannot_be_written_is_refused() throws Exception {
        // a folder below a plain file cannot be created, even by root
        Path file = Files.writeString(scratch.resolve("plain-file"), "");
        String stderr = refusedStart(Map.of("BRIDGE_HOME", file.resolve("home").toString()));
        assertThat(stderr).contains("dialer-bridge: bridge.home " + file.resolve("home") + " is not a folder the bridge can write to");
    }
}
