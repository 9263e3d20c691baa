package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of batch record modification (PUT /v2/projects/22/records), no faults. Not a test: a main.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.dialerbridge.sandbox.SandboxLoadClient \
 *      [--url http://127.0.0.1:8089/v2] [--senders 4] [--batch-size 500] [--batches 2000] [--records 10000]
 * </pre>
 * {@code --write-seed FILE [--records N]} only writes the seed (for a sandbox in its own JVM) and exits.
 * Without --url it starts an in-process sandbox (same JVM, same two cores) seeded with --records records in
 * project 22; with --url it targets a running sandbox (whose project 22 must have numberids 1..--records).
 */
public final class SandboxLoadClient {

    public static void main(String[] args) throws Exception {
        String url = null;
        int senders = 4;
        int batchSize = 500;
        int batches = 2000;
        int records = 10_000;
        Path writeSeed = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--senders" -> senders = Integer.parseInt(args[i + 1]);
                case "--batch-size" -> batchSize = Integer.parseInt(args[i + 1]);
                case "--batches" -> batches = Integer.parseInt(args[i + 1]);
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--write-seed" -> writeSeed = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (writeSeed != null) {
            Files.writeString(writeSeed, seed(records));
            System.out.println("wrote a seed with " + records + " records in project 22 to " + writeSeed);
            return;
        }
        Sandbox sandbox = null;
        if (url == null) {
            Path seed = Files.createTempFile("sandbox-load-seed", ".json");
            Files.writeString(seed, seed(records));
            sandbox = Sandbox.start(SandboxSettings.defaults().withSeedFile(seed), 10_000);
            url = sandbox.vccBaseUrl();
            Files.delete(seed);
        }
        try {
            run(url, senders, batchSize, batches, records);
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private static void run(String url, int senders, int batchSize, int batches, int records) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString("sandbox:sandbox".getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create(url + "/projects/22/records");
        ObjectMapper mapper = new ObjectMapper();
        // Pre-build a few distinct bodies so the client spends its CPU on sending, not on JSON.
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode elements = body.putArray("elements");
            for (int e = 0; e < batchSize; e++) {
                int numberid = 1 + (b * batchSize + e) % records;
                ObjectNode element = elements.addObject().put("numberid", String.valueOf(numberid));
                element.putObject("form").put("city", "City " + (b + e) % 97).put("age", String.valueOf(20 + e % 60))
                        .put("likes", e % 2 == 0 ? "sports|music" : "music");
            }
            bodies.add(mapper.writeValueAsBytes(body));
        }
        // warm-up
        for (int i = 0; i < 50; i++) {
            send(client, uri, auth, bodies.get(i % bodies.size()), mapper, batchSize);
        }
        AtomicLong next = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long start = System.nanoTime();
        List<Future<Long>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Callable<Long> sender = () -> {
                long elements = 0;
                for (long i = next.getAndIncrement(); i < batches; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    elements += send(client, uri, auth, bodies.get((int) (i % bodies.size())), mapper, batchSize);
                    latencies.add(System.nanoTime() - t0);
                }
                return elements;
            };
            futures.add(pool.submit(sender));
        }
        long elements = 0;
        for (Future<Long> f : futures) {
            elements += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("senders=%d batchSize=%d batches=%d elements=%d seconds=%.2f%n", senders, batchSize, batches,
                elements, seconds);
        System.out.printf("throughput: %.0f elements/s, %.1f requests/s; latency p50=%.1f ms p99=%.1f ms%n",
                elements / seconds, batches / seconds, sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }

    private static int send(HttpClient client, URI uri, String auth, byte[] body, ObjectMapper mapper, int batchSize)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        JsonNode parsed = mapper.readTree(response.body());
        if (parsed.path("errors").size() != 0 || parsed.path("response").size() != batchSize) {
            throw new IllegalStateException("unexpected answer: " + parsed.toString().substring(0, 200));
        }
        return batchSize;
    }

    /** A seed with project 22 (the demo fields) holding numberids 1..records. */
    static String seed(int records) {
        StringBuilder out = new StringBuilder();
        out.append("{\"vcc\":{\"users\":[{\"userid\":7,\"name\":\"Anna\"}],\"projects\":[{\"projectid\":22,\"name\":\"Load\",")
                .append("\"fields\":[{\"fieldid\":1,\"name\":\"name\",\"type\":\"text\"},{\"fieldid\":2,\"name\":\"city\",\"type\":\"text\"},")
                .append("{\"fieldid\":3,\"name\":\"age\",\"type\":\"text\"},{\"fieldid\":4,\"name\":\"likes\",\"type\":\"multiple\",")
                .append("\"values\":[{\"valueid\":1,\"name\":\"sports\"},{\"valueid\":2,\"name\":\"music\"}]},")
                .append("{\"fieldid\":5,\"name\":\"phone1\",\"type\":\"text\"}],")
                .append("\"dispositions\":[{\"dispositionid\":1,\"name\":\"callback\"}],\"records\":[");
        for (int i = 1; i <= records; i++) {
            if (i > 1) {
                out.append(',');
            }
            out.append("{\"numberid\":").append(i).append(",\"data\":{\"name\":\"Person ").append(i)
                    .append("\",\"city\":\"Budapest\",\"phone1\":\"+36").append(100000000 + i).append("\"}}");
        }
        return out.append("]}]},\"genesys\":{}}").toString();
    }
}
