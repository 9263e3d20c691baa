package io.dialerbridge;

import io.dialerbridge.config.ConfigurationException;
import io.dialerbridge.config.Settings;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.OperationRules;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.ops.DryRun;
import io.dialerbridge.ops.Progress;
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
        subcommands = {DialerBridge.Run.class, DialerBridge.Send.class, DialerBridge.Validate.class, DialerBridge.ReplayCommand.class,
                DialerBridge.SandboxCommand.class, DialerBridge.ReconcileCommand.class, DialerBridge.SyncCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything was accepted", "1:fatal error (bad configuration, API unreachable, credentials refused)",
                "2:bad usage", "3:some elements were dead-lettered (send), or would be (validate), or drifted (reconcile)"})
public final class DialerBridge implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FATAL = 1;
    public static final int USAGE = 2;
    public static final int DEAD_LETTERED = 3;

    /** The settings file used when none is given and config/application.properties exists. */
    static final Path LOCAL_CONFIG = Path.of("config", "application.properties");
    /** The settings inside the jar (a copy of config/application.properties). */
    static final String EMBEDDED_CONFIG = "classpath:dialer-bridge/config/application.properties";

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:BRIDGE_CONFIG}",
            description = "Settings file (default: $BRIDGE_CONFIG, else config/application.properties when it exists, "
                    + "else the settings inside the jar); each key can be overridden by an environment variable.")
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
        // Camel's wrapper says only which exchange failed ("Exception occurred during execution on the exchange:
        // Exchange[...]"): the failure is its cause
        while (e instanceof org.apache.camel.CamelExecutionException && e.getCause() != null) {
            e = e.getCause();
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    /** The FILE arguments of send and validate: each must be a readable file, else it is bad usage (exit 2). */
    static void requireFiles(CommandLine.Model.CommandSpec spec, List<Path> files) {
        for (Path file : files) {
            if (Files.isDirectory(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "not a file: " + file);
            }
            if (!Files.isReadable(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read file: " + file);
            }
        }
    }

    /** The reason a file was refused as a whole (unreadable, or a CSV header naming unknown fields), or null. */
    static String refusedAsAWhole(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof io.dialerbridge.source.ElementReader.UnreadableFileException) {
                return cause.getMessage();
            }
        }
        return null;
    }

    /**
     * Where the settings are, as a Camel location: the file given (refused when it does not exist),
     * else config/application.properties in the working folder, else the defaults inside the jar.
     */
    String settingsLocation() {
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new ConfigurationException("settings file not found: " + config.toAbsolutePath());
            }
            return "file:" + config.toAbsolutePath();
        }
        return Files.isRegularFile(LOCAL_CONFIG) ? "file:" + LOCAL_CONFIG.toAbsolutePath() : EMBEDDED_CONFIG;
    }

    /** The settings with {@code options} over the file, for the commands that start no bridge. */
    Settings settings(Map<String, String> options) {
        return Settings.load(settingsLocation(), options);
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
            Bridge bridge = Bridge.start(Map.of(), top.settingsLocation(), true);
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
                    + "(0 all accepted, 3 some dead-lettered or a file refused as a whole, 1 fatal error, 2 bad usage).")
    static final class Send implements Callable<Integer> {
        /** The project folder of results and dead letters of a Genesys send without --project. */
        static final String GENESYS_PROJECT = io.dialerbridge.source.Inbox.NO_PROJECT;

        @CommandLine.ParentCommand
        DialerBridge parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--project", paramLabel = "ID", converter = ProjectIdConverter.class,
                description = "The dialer project id, a positive whole number (VCC Live operations; update-outbound-records goes to Genesys, which has none).")
        String project;

        @Option(names = "--operation", required = true, paramLabel = "OPERATION",
                description = "What to do with the elements: ${COMPLETION-CANDIDATES}.",
                converter = OperationConverter.class, completionCandidates = OperationNames.class)
        Operation operation;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to send (.ndjson, .jsonl, .json or .csv).")
        List<Path> files;

        @Option(names = "--full", description = "With sync.mode=incremental: send every element, even those the dialer "
                + "already holds, and take the fingerprints again (docs/SYNC.md).")
        boolean full;

        @Override
        public Integer call() throws Exception {
            requireFiles(spec, files);
            boolean genesys = operation.rules().delivery() == OperationRules.Delivery.GENESYS_SINGLE;
            if (project == null && !genesys) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--project is required for " + operation.id());
            }
            String projectId = project != null ? project : GENESYS_PROJECT;
            PrintWriter out = spec.commandLine().getOut();
            // one-shot: refused credentials are fatal (exit 1) instead of a pause, and no health endpoint
            Map<String, String> oneShot = Map.of("retry.credentials-refused-redeliveries", "0", "management.enabled", "false");
            try (Bridge bridge = Bridge.startFor(operation, oneShot, parent.settingsLocation())) {
                if (!genesys) {
                    bridge.dialerProbe().check(projectId);
                }
                if (full) {
                    bridge.syncState().forceFull();
                }
                RunReport total = new RunReport();
                int refusedFiles = 0;
                for (Path file : files) {
                    RunReport report;
                    // only the bytes the file has now are read, as the daemon reads a file as it was picked up
                    long length = Files.size(file);
                    try (ProgressPrinter printer = new ProgressPrinter(bridge.progress(), file.toString(), out,
                            Integer.parseInt(bridge.settings().get("progress.interval")))) {
                        report = bridge.send(file, projectId, operation, length);
                    } catch (RuntimeException e) {
                        // a file refused as a whole (empty, unreadable header, unknown columns) sent nothing:
                        // it is named, and the other files still go, as in the daemon's inbox
                        String reason = refusedAsAWhole(e);
                        if (reason == null) {
                            throw e;
                        }
                        out.println(file + ": refused as a whole, nothing sent: " + reason);
                        refusedFiles++;
                        continue;
                    }
                    out.println(file + ": " + report);
                    long lengthAfter = Files.exists(file) ? Files.size(file) : length;
                    if (lengthAfter != length) {
                        out.println(file + ": " + io.dialerbridge.source.Inbox.changedWhileRead(file, length, lengthAfter, false));
                    }
                    total.add(report);
                }
                out.println("total: " + total + (refusedFiles > 0 ? ", files refused as a whole: " + refusedFiles : ""));
                if (total.deadLettered() > 0) {
                    out.println("dead letters: " + Path.of(bridge.settings().get("bridge.home"), "dead-letter").toAbsolutePath().normalize());
                }
                return total.deadLettered() == 0 && refusedFiles == 0 ? OK : DEAD_LETTERED;
            }
        }
    }

    /**
     * The progress of the file being sent: on a terminal one line rewritten every second, otherwise a
     * plain line every progress.interval.
     */
    static final class ProgressPrinter implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService ticker =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "progress");
                    thread.setDaemon(true);
                    return thread;
                });
        private final boolean terminal = System.console() != null;
        private final PrintWriter out;

        ProgressPrinter(Progress progress, String file, PrintWriter out, int intervalMillis) {
            this.out = out;
            long period = terminal ? 1000 : intervalMillis;
            long expected = terminal ? expectedElements(Path.of(file)) : -1;
            ticker.scheduleAtFixedRate(() -> {
                String line = terminal ? progress.bar(file, expected) : progress.line(file);
                if (line != null) {
                    if (terminal) {
                        out.print("\r" + line + "\u001b[K");
                        out.flush();
                    } else {
                        out.println(line);
                    }
                }
            }, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /**
         * About how many elements a file holds, for the bar's share and time left: its non-blank lines
         * (less the header of a CSV; a quoted value over several lines counts more); -1 for a JSON
         * document or a file that cannot be read.
         */
        static long expectedElements(Path file) {
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (!name.endsWith(".csv") && !name.endsWith(".ndjson")) {
                return -1;
            }
            try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                long count = lines.filter(line -> !line.isBlank()).count();
                return name.endsWith(".csv") ? count - 1 : count;
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            if (terminal) {
                out.print("\r\u001b[K");
                out.flush();
            }
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Dry run: read, validate and batch files exactly as send would, sending nothing, and print "
                    + "the elements, requests and bytes that would be sent and every element that would be refused "
                    + "(0 all would be sent, 3 some would be refused, 2 bad usage). When the dialer can be read, the "
                    + "elements are also checked against the project's fields (the only request made: GET /v2/projects/{id}).")
    static final class Validate implements Callable<Integer> {
        @CommandLine.ParentCommand
        DialerBridge parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--project", required = true, paramLabel = "ID", converter = ProjectIdConverter.class,
                description = "The dialer project id, a positive whole number.")
        String project;

        @Option(names = "--operation", required = true, paramLabel = "OPERATION",
                description = "What would be done with the elements: ${COMPLETION-CANDIDATES}.",
                converter = OperationConverter.class, completionCandidates = OperationNames.class)
        Operation operation;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to check (.ndjson, .jsonl, .json or .csv).")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            requireFiles(spec, files);
            Settings settings = parent.settings(Map.of());
            // the pre-flight field check, when the dialer can be read (docs/SYNC.md); offline it says it could not check
            io.dialerbridge.fields.DryRunFieldCheck fields = io.dialerbridge.fields.DryRunFieldCheck.of(settings, project, operation);
            List<Path> planned = new java.util.ArrayList<>();
            List<String> refusedWhole = new java.util.ArrayList<>();
            for (Path file : files) {
                String why = fields.refusesWhole(file);
                if (why == null) {
                    planned.add(file);
                } else {
                    refusedWhole.add(file + ": would go to failed/ as a whole: " + why);
                }
            }
            // a file that cannot be read at all (empty CSV, unreadable header) would be refused as a whole, as send refuses it
            Map<Path, String> unreadable = new java.util.LinkedHashMap<>();
            DryRun.Plan plan = new DryRun(new BatchRequests(ProjectDefaults.fromProperties(settings.withPrefix("projects."))),
                    Integer.parseInt(settings.get("batch.max-elements"))).checkingFields(fields::check)
                    .plan(planned, project, operation, unreadable);
            unreadable.forEach((file, why) -> refusedWhole.add(file + ": would go to failed/ as a whole: " + why));
            planned.removeAll(unreadable.keySet());
            spec.commandLine().getOut().println(plan);
            refusedWhole.forEach(spec.commandLine().getOut()::println);
            spec.commandLine().getOut().println(fields.summary(planned));
            String unchanged = io.dialerbridge.sync.UnchangedPreview.describe(Path.of(settings.get("bridge.home"), "state"),
                    settings.get("sync.mode"), settings.withPrefix("projects."), planned, project, operation);
            if (unchanged != null) {
                spec.commandLine().getOut().println(unchanged);
            }
            return plan.refused().isEmpty() && refusedWhole.isEmpty() ? OK : DEAD_LETTERED;
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

    @Command(name = "reconcile", mixinStandardHelpOptions = true,
            description = "Read records of modify-records files back from the dialer and compare them field by field: "
                    + "a random sample (--sample, default reconcile.sample) or --all, at most reconcile.max-requests-per-second "
                    + "reads a second. Prints a summary, writes every difference to $BRIDGE_HOME/reports/reconcile-<project>-<time>.ndjson "
                    + "and exits 0 when nothing drifted, 3 when something did, 1 when the dialer could not be read, 2 on bad usage.")
    static final class ReconcileCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        DialerBridge parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--project", required = true, paramLabel = "ID", converter = ProjectIdConverter.class,
                description = "The dialer project id, a positive whole number.")
        String project;

        @Option(names = "--operation", required = true, paramLabel = "OPERATION",
                description = "The files' operation: modify-records (the only one read back so far).",
                converter = OperationConverter.class)
        Operation operation;

        @Option(names = "--sample", paramLabel = "N", description = "Read back N records drawn at random (default: reconcile.sample).")
        Integer sample;

        @Option(names = "--all", description = "Read back every record of the files.")
        boolean all;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files that were sent (.ndjson, .jsonl, .json or .csv).")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            if (operation != Operation.MODIFY_RECORDS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "reconcile reads back modify-records only");
            }
            if (all && sample != null || sample != null && sample < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give either --all or --sample N (N at least 1)");
            }
            for (Path file : files) {
                if (!Files.isReadable(file)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "cannot read file: " + file);
                }
            }
            Settings settings = parent.settings(Map.of());
            Integer size = all ? null : sample != null ? sample : Integer.valueOf(settings.get("reconcile.sample"));
            io.dialerbridge.reconcile.Reconcile.Outcome outcome = io.dialerbridge.reconcile.Reconcile.run(settings, project,
                    files, size, java.time.Clock.systemUTC());
            PrintWriter out = spec.commandLine().getOut();
            out.println(outcome.result());
            out.println("differences: " + outcome.report().toAbsolutePath());
            return outcome.result().inStep() ? OK : DEAD_LETTERED;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "The state of incremental sync (docs/SYNC.md).",
            subcommands = {SyncCommand.Reset.class})
    static final class SyncCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        DialerBridge parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: sync reset");
        }

        @Command(name = "reset", mixinStandardHelpOptions = true,
                description = "Forget what the dialer accepted for a project and operation: the next snapshot is sent whole. "
                        + "Refused (exit 1) while a bridge uses the state.")
        static final class Reset implements Callable<Integer> {
            @CommandLine.ParentCommand
            SyncCommand sync;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Option(names = "--project", paramLabel = "ID",
                    description = "The dialer project id (update-outbound-records: none, or genesys).")
            String project;

            @Option(names = "--operation", required = true, paramLabel = "OPERATION",
                    description = "modify-records, modify-dispositions or update-outbound-records.",
                    converter = OperationConverter.class)
            Operation operation;

            @Override
            public Integer call() {
                if (!io.dialerbridge.sync.SyncState.OPERATIONS.contains(operation)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), operation.id() + " has no sync state");
                }
                boolean genesys = operation.rules().delivery() == OperationRules.Delivery.GENESYS_SINGLE;
                if (project == null && !genesys) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--project is required for " + operation.id());
                }
                String projectId = Send.GENESYS_PROJECT;
                if (project != null && !project.equals(Send.GENESYS_PROJECT)) {
                    try {
                        projectId = io.dialerbridge.element.ProjectId.parse(project);
                    } catch (io.dialerbridge.element.ProjectId.Invalid e) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--project: " + e.getMessage());
                    }
                }
                Settings settings = sync.parent.settings(Map.of());
                try (io.dialerbridge.sync.FingerprintStore store =
                             io.dialerbridge.sync.FingerprintStore.open(Path.of(settings.get("bridge.home"), "state"))) {
                    long known = store.reset(projectId, operation.id());
                    spec.commandLine().getOut().println(projectId + "/" + operation.id() + ": forgot " + known
                            + " records; the next snapshot is sent whole");
                }
                return OK;
            }
        }
    }

    /** --project: a positive whole number (io.dialerbridge.element.ProjectId); anything else is bad usage (exit 2). */
    static final class ProjectIdConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return io.dialerbridge.element.ProjectId.parse(value);
            } catch (io.dialerbridge.element.ProjectId.Invalid e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
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
