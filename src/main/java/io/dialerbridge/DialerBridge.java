package io.dialerbridge;

import io.dialerbridge.config.ConfigurationException;
import io.dialerbridge.config.Settings;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import io.dialerbridge.sandbox.Sandbox;
import io.dialerbridge.sandbox.SandboxSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code run} (the daemon), {@code send} (one-shot) and {@code sandbox}. */
@Command(name = "dialer-bridge", mixinStandardHelpOptions = true, version = "dialer-bridge 0.1.0",
        description = "Moves CRM changes from a drop folder (CSV, JSON, NDJSON) into the dialer's batch API, "
                + "with every refused element in the dead-letter output.",
        subcommands = {DialerBridge.Run.class, DialerBridge.Send.class, DialerBridge.ReplayCommand.class,
                DialerBridge.SandboxCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything was accepted", "1:fatal error (bad configuration, API unreachable, credentials refused)",
                "2:bad usage", "3:some elements were dead-lettered (send)"})
public final class DialerBridge implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FATAL = 1;
    public static final int USAGE = 2;
    public static final int DEAD_LETTERED = 3;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:BRIDGE_CONFIG:-config/application.properties}",
            description = "Settings file (default: ${DEFAULT-VALUE}); each key can be overridden by an environment variable.")
    Path config;

    @Override
    public Integer call() throws Exception {
        return new Run().runWith(this);
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new DialerBridge());
        commandLine.setOut(out).setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("dialer-bridge: " + describe(e));
            return FATAL;
        });
        return commandLine.execute(args);
    }

    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    /** The settings file, refused when it does not exist. */
    Path configFile() {
        if (!Files.isRegularFile(config)) {
            throw new ConfigurationException("settings file not found: " + config.toAbsolutePath());
        }
        return config;
    }

    /** The settings with {@code options} over the file, for the commands that start no bridge. */
    Settings settings(Map<String, String> options) {
        return Settings.load(configFile(), options);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the daemon: watch $BRIDGE_HOME/inbox/<projectid>/<operation>/ and send every dropped file. "
                    + "Without VCC_CUSTOMER/VCC_TOKEN it runs on the embedded sandbox.")
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand
        DialerBridge parent;

        @Override
        public Integer call() throws Exception {
            return runWith(parent);
        }

        Integer runWith(DialerBridge top) throws Exception {
            CountDownLatch stopped = new CountDownLatch(1);
            Bridge bridge = Bridge.start(Map.of(), top.configFile(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                bridge.close();
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return OK;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send files once, wait until every element is accounted for, print a summary and exit "
                    + "(0 all accepted, 3 some dead-lettered, 1 fatal error, 2 bad usage).")
    static final class Send implements Callable<Integer> {
        @CommandLine.ParentCommand
        DialerBridge parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--project", required = true, paramLabel = "ID", description = "The dialer project id.")
        String project;

        @Option(names = "--operation", required = true, paramLabel = "OPERATION",
                description = "What to do with the elements: ${COMPLETION-CANDIDATES}.",
                converter = OperationConverter.class, completionCandidates = OperationNames.class)
        Operation operation;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to send (.ndjson, .jsonl, .json or .csv).")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            for (Path file : files) {
                if (!Files.isReadable(file)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "cannot read file: " + file);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            // one-shot: refused credentials are fatal (exit 1) instead of a pause, and no health endpoint
            Map<String, String> oneShot = Map.of("retry.credentials-refused-redeliveries", "0", "management.enabled", "false");
            try (Bridge bridge = Bridge.startFor(operation, oneShot, parent.configFile())) {
                if (operation.rules().delivery() != io.dialerbridge.operation.OperationRules.Delivery.GENESYS_SINGLE) {
                    bridge.dialerProbe().check(project);
                }
                RunReport total = new RunReport();
                for (Path file : files) {
                    RunReport report = bridge.send(file, project, operation);
                    out.println(file + ": " + report);
                    total.add(report);
                }
                out.println("total: " + total);
                if (total.deadLettered() > 0) {
                    out.println("dead letters: " + Path.of(bridge.settings().get("bridge.home"), "dead-letter").toAbsolutePath());
                }
                return total.deadLettered() == 0 ? OK : DEAD_LETTERED;
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Put dead letters back into the inbox once their cause is fixed: each letter's element goes to "
                    + "inbox/<projectid>/<operation>/replay-<time>-<n>.json (with its default object), where the daemon "
                    + "sends it again. Letters whose input could not be parsed are counted, not replayed: fix their raw text by hand.")
    static final class ReplayCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        DialerBridge parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--inbox", paramLabel = "DIR",
                description = "The inbox to write to (default: $BRIDGE_HOME/inbox from the settings).")
        Path inbox;

        @Option(names = "--error", paramLabel = "CODE", split = ",",
                description = "Replay only letters with these errors (for example error.dialer_unavailable); default: all.")
        List<String> errors;

        @Parameters(arity = "1..*", paramLabel = "DEAD_LETTER_FILE", description = "Dead-letter files (.ndjson).")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            for (Path file : files) {
                if (!Files.isReadable(file)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "cannot read file: " + file);
                }
            }
            Path target = inbox != null ? inbox : Path.of(parent.settings(Map.of()).get("bridge.home"), "inbox");
            io.dialerbridge.source.Replay.Summary summary = new io.dialerbridge.source.Replay(target,
                    java.time.Clock.systemUTC()).replay(files, errors == null ? java.util.Set.of() : java.util.Set.copyOf(errors));
            PrintWriter out = spec.commandLine().getOut();
            summary.files().forEach(file -> out.println("wrote " + file));
            out.println("replayed: " + summary.replayed() + ", need a manual fix (no parsed element): " + summary.needsFix()
                    + ", left out by --error: " + summary.skippedByFilter());
            return OK;
        }
    }

    @Command(name = "sandbox", mixinStandardHelpOptions = true,
            description = "Run the sandbox alone: a local stand-in for the VCC Live and Genesys APIs, with fault injection.")
    static final class SandboxCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        DialerBridge parent;

        @Option(names = "--port", defaultValue = "8089", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
        String host;

        @Override
        public Integer call() throws Exception {
            Map<String, String> settings = parent.settings(Map.of("sandbox.port", String.valueOf(port),
                    "sandbox.host", host)).withPrefix("sandbox.");
            CountDownLatch stopped = new CountDownLatch(1);
            Sandbox sandbox = Sandbox.start(SandboxSettings.fromProperties(settings));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sandbox.close();
                stopped.countDown();
            }, "shutdown"));
            System.err.println("sandbox listening: VCC Live at " + sandbox.vccBaseUrl() + ", Genesys at "
                    + sandbox.gwsBaseUrl() + "/api/v2, admin at " + sandbox.gwsBaseUrl() + "/sandbox/");
            stopped.await();
            return OK;
        }
    }

    static final class OperationConverter implements CommandLine.ITypeConverter<Operation> {
        @Override
        public Operation convert(String value) {
            try {
                return Operation.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class OperationNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Operation.values()).map(Operation::id).iterator();
        }
    }
}
