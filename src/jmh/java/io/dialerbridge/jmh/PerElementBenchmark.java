package io.dialerbridge.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.dialer.vcc.PartialResults;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.source.ElementReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bridge's own work per element of a modify-records batch of 500, each figure per element (ns/op; with
 * {@code -prof gc}, bytes allocated per element as gc.alloc.rate.norm): reading a line of NDJSON (from the
 * file, through the real reader), parsing a line from its text (what the readers do) and from its bytes
 * (tried, and left out: no gain in the profiles, 6% more allocated), validating, building and serialising the request body (defaults and the wire form
 * included), and reading the dialer's answer. For scale: the sandbox's own load client reaches 260,000-380,000
 * elements/s on 2 cores (docs/BENCHMARKS.md), about 3 us per element for the dialer's side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PerElementBenchmark {

    static final int BATCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path file;
    private String[] lines;
    private byte[][] lineBytes;
    private ObjectNode[] elements;
    private Batch batch;
    private BatchRequests requests;
    private final PartialResults answers = new PartialResults();
    private final io.dialerbridge.sync.RecordFingerprint fingerprints =
            new io.dialerbridge.sync.RecordFingerprint(ProjectDefaults.fromProperties(Map.of()));
    private String answer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        lines = new String[BATCH];
        lineBytes = new byte[BATCH][];
        elements = new ObjectNode[BATCH];
        List<Element> batchElements = new ArrayList<>();
        StringBuilder answerBody = new StringBuilder("{\"response\":{");
        for (int i = 0; i < BATCH; i++) {
            lines[i] = "{\"numberid\":\"" + (1 + i) + "\",\"form\":{\"city\":\"City " + (i % 97) + "\",\"age\":\"" + (18 + i % 60) + "\"}}";
            lineBytes[i] = lines[i].getBytes(StandardCharsets.UTF_8);
            elements[i] = (ObjectNode) JSON.readTree(lines[i]);
            batchElements.add(new Element("bench:" + i, "22", Operation.MODIFY_RECORDS, elements[i], lines[i],
                    io.dialerbridge.element.SourceRef.fileLine("bench.ndjson", i + 1), null, null));
            answerBody.append(i == 0 ? "" : ",").append('"').append(i).append("\":true");
        }
        answer = answerBody.append("}}").toString();
        batch = new Batch("22", Operation.MODIFY_RECORDS, null, batchElements);
        batch.attempt();
        requests = new BatchRequests(ProjectDefaults.fromProperties(Map.of()));
        file = Files.createTempFile("per-element", ".ndjson");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void readNdjsonFile(Blackhole out) throws IOException {
        try (ElementReader reader = ElementReader.open(file, "bench.ndjson", "22", Operation.MODIFY_RECORDS)) {
            while (reader.hasNext()) {
                out.consume(reader.next());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void parseLineFromText(Blackhole out) throws IOException {
        for (String line : lines) {
            out.consume(JSON.readTree(line));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void parseLineFromBytes(Blackhole out) throws IOException {
        for (byte[] line : lineBytes) {
            out.consume(JSON.readTree(line));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void validate(Blackhole out) {
        for (ObjectNode element : elements) {
            out.consume(Operation.MODIFY_RECORDS.rules().validate(element));
        }
    }

    /** The fingerprint of incremental sync (docs/SYNC.md): canonical bytes, MurmurHash3 x64 128. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void fingerprint(Blackhole out) {
        for (Element element : batch.elements()) {
            out.consume(fingerprints.of(element));
        }
    }

    /** The fingerprint as it was worked out before (canonical text, UTF-8, SHA-256): the baseline of the one above. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void fingerprintSha256Before(Blackhole out) throws Exception {
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        for (Element element : batch.elements()) {
            StringBuilder text = new StringBuilder(256);
            io.dialerbridge.sync.RecordFingerprint.canonical(element.body(), text);
            text.append('\u0000').append("{}");
            out.consume(java.util.Arrays.copyOf(sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8)), 16));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] serialiseBatchBody() throws IOException {
        return requests.body(batch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public BatchOutcome readAnswer() {
        return answers.read(batch, 200, answer, null);
    }
}
