package io.dialerbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch command, bin/dialer-bridge, run with a stand-in for {@code java} that prints the command line
 * it was given: which JVM options a run gets.
 */
@Timeout(30)
class LaunchCommandTest {

    private static final String QUICK_COMPILER = "-XX:TieredStopAtLevel=1";
    private static final String THROUGHPUT_COLLECTOR = "-XX:+UseParallelGC";

    @TempDir
    Path scratch;

    private List<String> javaArguments(Map<String, String> environment, String... args) throws Exception {
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("bash", "bin/dialer-bridge"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("BRIDGE_HOME", home().toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private Path home() {
        return scratch.resolve("home");
    }

    private Path file(String name, int bytes) throws IOException {
        return Files.write(scratch.resolve(name), new byte[bytes]);
    }

    @Test
    void a_short_send_or_validate_runs_with_the_quick_compiler_alone() throws Exception {
        Path small = file("small.ndjson", 1000);
        assertThat(javaArguments(Map.of(), "send", "--project", "22", "--operation", "modify-records", small.toString()))
                .contains(QUICK_COMPILER).doesNotContain(THROUGHPUT_COLLECTOR).containsSubsequence("-jar", "send", "--project", "22");
        assertThat(javaArguments(Map.of(), "validate", "--operation", "modify-records", small.toString()))
                .contains(QUICK_COMPILER);
    }

    @Test
    void a_long_send_and_the_daemon_keep_the_optimising_compiler() throws Exception {
        Path one = file("one.ndjson", 600);
        Path two = file("two.ndjson", 600);
        // the files together are over the limits, each one alone is not
        assertThat(javaArguments(Map.of("DIALER_BRIDGE_SHORT_RUN_BYTES", "1000", "DIALER_BRIDGE_QUICK_COMPILER_BYTES", "1100"),
                "send", "--operation", "modify-records", one.toString(), two.toString()))
                .doesNotContain(QUICK_COMPILER).contains(THROUGHPUT_COLLECTOR);
        assertThat(javaArguments(Map.of(), "run")).doesNotContain(QUICK_COMPILER, THROUGHPUT_COLLECTOR).contains("run");
    }

    @Test
    void a_mid_size_send_keeps_the_quick_compiler_unless_it_is_an_incremental_sync() throws Exception {
        Path mid = file("mid.ndjson", 2000);
        Map<String, String> limits = Map.of("DIALER_BRIDGE_SHORT_RUN_BYTES", "1000", "DIALER_BRIDGE_QUICK_COMPILER_BYTES", "3000");
        assertThat(javaArguments(limits, "send", "--operation", "modify-records", mid.toString()))
                .containsSubsequence(QUICK_COMPILER, THROUGHPUT_COLLECTOR, "-jar");
        // validate sends nothing: its time is the bridge's own code
        assertThat(javaArguments(limits, "validate", "--operation", "modify-records", mid.toString()))
                .doesNotContain(QUICK_COMPILER).contains(THROUGHPUT_COLLECTOR);
        // with a sync state, a send may be an incremental sync that only looks most rows up
        Files.createDirectories(home().resolve("state"));
        Files.write(home().resolve("state/sync.mv.db"), new byte[0]);
        assertThat(javaArguments(limits, "send", "--operation", "modify-records", mid.toString()))
                .doesNotContain(QUICK_COMPILER).contains(THROUGHPUT_COLLECTOR);
        // unless it is sent whole
        assertThat(javaArguments(limits, "send", "--full", "--operation", "modify-records", mid.toString()))
                .containsSubsequence(QUICK_COMPILER, THROUGHPUT_COLLECTOR, "-jar", "send", "--full");
    }

    @Test
    void a_collector_named_in_java_opts_replaces_the_throughput_collector_of_a_long_send() throws Exception {
        Path large = file("large.ndjson", 2000);
        for (String collector : List.of("-XX:+UseG1GC", "-XX:+UseZGC", "-XX:+UseSerialGC")) {
            // two collectors on one command line stop the JVM: only the one asked for is there
            assertThat(javaArguments(Map.of("DIALER_BRIDGE_SHORT_RUN_BYTES", "1000", "JAVA_OPTS", "-Xmx256m " + collector),
                    "send", "--operation", "modify-records", large.toString()))
                    .doesNotContain(THROUGHPUT_COLLECTOR).contains(collector, "-Xmx256m");
        }
        assertThat(javaArguments(Map.of("DIALER_BRIDGE_SHORT_RUN_BYTES", "1000", "JAVA_OPTS", "-Xmx256m"),
                "send", "--operation", "modify-records", large.toString()))
                .containsSubsequence(THROUGHPUT_COLLECTOR, "-Xmx256m", "-jar");
    }

    @Test
    void java_opts_come_after_the_launch_command_s_choice_so_they_win() throws Exception {
        Path small = file("small.ndjson", 10);
        List<String> arguments = javaArguments(Map.of("JAVA_OPTS", "-Xmx128m -XX:TieredStopAtLevel=4"),
                "send", "--operation", "modify-records", small.toString());
        assertThat(arguments).containsSubsequence(QUICK_COMPILER, "-Xmx128m", "-XX:TieredStopAtLevel=4", "-jar");
    }

    @Test
    void java_opts_come_after_the_archive_too_so_that_they_can_turn_it_off() throws Exception {
        Path jar = Files.write(scratch.resolve("dialer-bridge.jar"), new byte[0]);
        Files.write(scratch.resolve("dialer-bridge.jsa"), new byte[0]);
        List<String> arguments = javaArguments(Map.of("DIALER_BRIDGE_JAR", jar.toString(), "JAVA_OPTS", "-Xshare:off"), "run");
        assertThat(arguments).containsSubsequence("-XX:SharedArchiveFile=" + scratch.resolve("dialer-bridge.jsa"),
                "-Xshare:auto", "-Xshare:off", "-jar", jar.toString(), "run");
    }
}
