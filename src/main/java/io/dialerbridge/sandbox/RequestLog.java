package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The last requests the sandbox served (admin requests excluded), as a bounded ring: at most {@code capacity}
 * entries and about {@code maxTotalBodyChars} characters of bodies; each body is cut at {@code maxBodyChars}.
 * It keeps method, path, query, body, the {@code Idempotency-Key} header, status, duration and injected fault —
 * never the {@code Authorization} header, and secrets (the configured token and password, and JSON values of keys
 * that look like passwords or tokens) are masked in bodies and queries.
 */
final class RequestLog {

    static final int DEFAULT_CAPACITY = 10_000;
    static final int DEFAULT_MAX_BODY_CHARS = 1 << 20;
    static final long DEFAULT_MAX_TOTAL_BODY_CHARS = 64L << 20;

    private static final Pattern SECRET_JSON_VALUE = Pattern.compile(
            "(\"[A-Za-z_\\-]*(?i:pass|secret|token|authorization)[A-Za-z_\\-]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    final class Entry {
        final long seq;
        final Instant time;
        final String method;
        final String path;
        final String query;
        final String idempotencyKey;
        final String body;
        final boolean bodyTruncated;
        volatile int status;
        volatile long durationMs = -1;
        volatile String fault;

        Entry(long seq, SandboxRequest request) {
            this.seq = seq;
            this.time = Instant.now();
            this.method = request.method();
            this.path = request.path();
            this.query = request.rawQuery() == null ? null : mask(request.rawQuery());
            this.idempotencyKey = request.header("Idempotency-Key");
            String text = new String(request.body(), StandardCharsets.UTF_8);
            this.bodyTruncated = text.length() > maxBodyChars;
            this.body = mask(bodyTruncated ? text.substring(0, maxBodyChars) : text);
        }

        void finish(int status, String fault) {
            this.status = status;
            this.fault = fault;
            this.durationMs = Math.max(0, System.currentTimeMillis() - time.toEpochMilli());
        }

        ObjectNode toJson() {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("seq", seq);
            node.put("time", time.toString());
            node.put("method", method);
            node.put("path", path);
            if (query != null) {
                node.put("query", query);
            }
            if (idempotencyKey != null) {
                node.put("idempotencyKey", idempotencyKey);
            }
            node.put("body", body);
            if (bodyTruncated) {
                node.put("bodyTruncated", true);
            }
            node.put("status", status);
            node.put("durationMs", durationMs);
            if (fault != null) {
                node.put("fault", fault);
            }
            return node;
        }
    }

    private final int capacity;
    private final int maxBodyChars;
    private final long maxTotalBodyChars;
    private final List<String> secrets;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final AtomicLong seq = new AtomicLong();
    private long totalBodyChars;

    RequestLog(int capacity, int maxBodyChars, long maxTotalBodyChars, List<String> secrets) {
        this.capacity = Math.max(0, capacity);
        this.maxBodyChars = Math.max(0, maxBodyChars);
        this.maxTotalBodyChars = Math.max(0, maxTotalBodyChars);
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 3).toList();
    }

    Entry begin(SandboxRequest request) {
        Entry entry = new Entry(seq.incrementAndGet(), request);
        if (capacity == 0) {
            return entry;
        }
        synchronized (this) {
            entries.addLast(entry);
            totalBodyChars += entry.body.length();
            while (entries.size() > capacity || (totalBodyChars > maxTotalBodyChars && entries.size() > 1)) {
                totalBodyChars -= entries.removeFirst().body.length();
            }
        }
        return entry;
    }

    /** Entries with seq greater than {@code since}, oldest first, optionally only paths starting with a prefix. */
    synchronized ArrayNode since(long since, String pathPrefix, int limit) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Entry e : entries) {
            if (e.seq > since && (pathPrefix == null || e.path.startsWith(pathPrefix))) {
                out.add(e.toJson());
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    synchronized void clear() {
        entries.clear();
        totalBodyChars = 0;
    }

    long lastSeq() {
        return seq.get();
    }

    int capacity() {
        return capacity;
    }

    private String mask(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, "***");
            }
        }
        String lower = out.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("pass") || lower.contains("secret") || lower.contains("token") || lower.contains("authorization")) {
            out = SECRET_JSON_VALUE.matcher(out).replaceAll("$1\"***\"");
        }
        return out;
    }
}
