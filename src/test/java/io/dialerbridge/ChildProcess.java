package io.dialerbridge;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the bridge's command line in a real child JVM, with its own environment, as a user would. */
public final class ChildProcess {

    public record Result(int exitCode, String out, String err) {
    }

    private ChildProcess() {
    }

    public static Process start(Path workDir, Map<String, String> environment, Path stdout, Path stderr,
                                String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DialerBridge.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("VCC_") || key.startsWith("GWS_")
                || key.startsWith("BRIDGE_") || key.startsWith("KAFKA_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    public static Result run(Map<String, String> environment, Path scratch, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process process = start(new File(".").getAbsoluteFile().toPath(), environment, out, err, args);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the bridge did not exit within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
