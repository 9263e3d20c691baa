package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local stand-in for VCC Live (below {@code /v2}) and Genesys Web Services (below {@code /api/v2}), with fault
 * injection and an admin API below {@code /sandbox} (no auth). State is in memory, seeded from
 * {@link SandboxSettings#seedFile()} and resettable. See docs/SANDBOX.md.
 */
public final class Sandbox implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle plus delayed ACKs add ~40 ms
        // to every keep-alive request. Must be set before the first HttpServer is created in this JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Worker threads serving requests. */
    static final int THREADS = 16;

    private final SandboxSettings settings;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final FaultInjector injector = new FaultInjector();
    private final RequestLog log;
    private final String vccAuthorization;
    private final VccApi vcc;
    private final GenesysApi genesys;
    private final Map<HttpExchange, ScheduledFuture<?>> hung = new ConcurrentHashMap<>();
    private volatile SandboxSeed.State state;
    private volatile boolean closed;

    private Sandbox(SandboxSettings settings, int logCapacity) throws IOException {
        this.settings = settings;
        this.state = SandboxSeed.load(settings.seedFile());
        this.injector.replace(settings.faults());
        this.log = new RequestLog(logCapacity, RequestLog.DEFAULT_MAX_BODY_CHARS, RequestLog.DEFAULT_MAX_TOTAL_BODY_CHARS,
                List.of(settings.token(), settings.gwsPassword()));
        this.vccAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((settings.customer() + ":" + settings.token()).getBytes(StandardCharsets.UTF_8));
        this.vcc = new VccApi(() -> state.vcc(), injector);
        this.workers = Executors.newFixedThreadPool(THREADS, daemonThreads("sandbox-http-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("sandbox-timer-"));
        this.genesys = new GenesysApi(() -> state.genesys(), injector, timer, settings.gwsUser(), settings.gwsPassword());
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
        this.server.setExecutor(workers);
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    /** Starts a sandbox; {@code settings.port() == 0} picks a free port. */
    public static Sandbox start(SandboxSettings settings) throws IOException {
        return start(settings, Integer.getInteger("sandbox.request-log.capacity", RequestLog.DEFAULT_CAPACITY));
    }

    /** Starts a sandbox whose request log keeps at most {@code requestLogCapacity} entries (0 = keep none). */
    public static Sandbox start(SandboxSettings settings, int requestLogCapacity) throws IOException {
        return new Sandbox(settings == null ? SandboxSettings.defaults() : settings, requestLogCapacity);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/v2} (the bound host when it is not a wildcard address). */
    public String vccBaseUrl() {
        return gwsBaseUrl() + "/v2";
    }

    /** {@code http://127.0.0.1:<port>}; Genesys paths start with /api/v2. */
    public String gwsBaseUrl() {
        String host = settings.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost")) {
            host = "127.0.0.1";
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public SandboxSettings settings() {
        return settings;
    }

    /** The faults in force now. */
    public Faults faults() {
        return injector.current();
    }

    /** Replaces the faults (null clears them); counters and the random sequence start again. */
    public void setFaults(Faults faults) {
        injector.replace(faults);
    }

    /** Re-reads the seed, clears faults, the request log and Genesys sessions. */
    public void reset() throws IOException {
        SandboxSeed.State fresh = SandboxSeed.load(settings.seedFile());
        state = fresh;
        injector.replace(Faults.none());
        log.clear();
        genesys.expireAllSessions();
        genesys.forgetNotificationClients();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        for (HttpExchange exchange : new ArrayList<>(hung.keySet())) {
            releaseHung(exchange);
        }
        timer.shutdownNow();
        workers.shutdownNow();
    }

    // ---- request handling ----

    private void handle(HttpExchange exchange) {
        SandboxRequest req;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            req = new SandboxRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
        } catch (IOException e) {
            exchange.close();
            return;
        }
        String path = req.path();
        if (path.equals("/sandbox") || path.startsWith("/sandbox/")) {
            send(exchange, admin(req), false, null);
            return;
        }
        RequestLog.Entry entry = log.begin(req);
        try {
            Faults f = injector.current();
            String method = req.method();
            if (f.hangs() != null && f.hangs().sizeApplies(countElements(req))
                    && injector.fires("hangs", f.hangs(), method, path)) {
                entry.finish(0, "hang");
                hang(exchange, f.hangs());
                return;
            }
            if (injector.fires("errors", f.errors(), method, path)) {
                int status = injector.nextErrorStatus(f.errors());
                SandboxReply reply = gatewayError(status).fault("error");
                if (f.errors().retryAfterSeconds() != null) {
                    reply.header("Retry-After", String.valueOf(f.errors().retryAfterSeconds()));
                }
                send(exchange, reply, false, entry);
                return;
            }
            Faults.Latency latency = injector.fires("latency", f.latency(), method, path) ? f.latency() : null;
            boolean cut = injector.fires("disconnects", f.disconnects(), method, path);
            boolean cutBefore = cut && Boolean.TRUE.equals(f.disconnects().beforeProcessing());
            if (latency != null && Boolean.TRUE.equals(latency.beforeProcessing())) {
                long delay = latency.delayMs(countElements(req));
                timer.schedule(() -> workers.execute(() -> process(exchange, req, entry, cut, cutBefore, null)),
                        delay, TimeUnit.MILLISECONDS);
                return;
            }
            process(exchange, req, entry, cut, cutBefore, latency);
        } catch (RuntimeException e) {
            send(exchange, SandboxReply.text(500, "sandbox failure: " + e), false, entry);
        }
    }

    private void process(HttpExchange exchange, SandboxRequest req, RequestLog.Entry entry, boolean cut, boolean cutBefore,
                         Faults.Latency latencyAfter) {
        SandboxReply reply;
        try {
            reply = cutBefore
                    ? SandboxReply.vccOk(Json.MAPPER.getNodeFactory().booleanNode(true))
                    : dispatch(req);
        } catch (RuntimeException e) {
            reply = SandboxReply.text(500, "sandbox failure: " + e);
        }
        if (cut) {
            reply.fault("disconnect");
        } else if (reply.fault == null && latencyAfter != null) {
            reply.fault("latency");
        }
        long delay = latencyAfter == null ? 0 : latencyAfter.delayMs(reply.elements);
        if (delay > 0) {
            SandboxReply delayed = reply;
            timer.schedule(() -> workers.execute(() -> send(exchange, delayed, cut, entry)), delay, TimeUnit.MILLISECONDS);
        } else {
            send(exchange, reply, cut, entry);
        }
    }

    private SandboxReply dispatch(SandboxRequest req) {
        String path = req.path();
        if (path.equals("/v2") || path.startsWith("/v2/")) {
            if (injector.current().rejectsCredentials()) {
                return vccUnauthorized().fault("reject-credentials");
            }
            if (!vccAuthorization.equals(req.header("Authorization"))) {
                return vccUnauthorized();
            }
            Integer projectid = VccApi.projectIdOf(path);
            long retryAfter = injector.overRateLimit(projectid == null ? "vcc" : "vcc:" + projectid, projectid);
            if (retryAfter >= 0) {
                return SandboxReply.vccError(429, 429, "error.too_many_requests")
                        .header("Retry-After", String.valueOf(retryAfter)).fault("rate-limit");
            }
            return vcc.handle(req);
        }
        if (path.equals("/api/v2") || path.startsWith("/api/v2/")) {
            long retryAfter = injector.overRateLimit("gws", null);
            if (retryAfter >= 0) {
                return GenesysApi.status(429, 4, "Too many requests")
                        .header("Retry-After", String.valueOf(retryAfter)).fault("rate-limit");
            }
            return genesys.handle(req);
        }
        return SandboxReply.text(404, "Not found: " + path);
    }

    static SandboxReply vccUnauthorized() {
        return SandboxReply.vccError(401, 401, "error.unauthorized").header("WWW-Authenticate", "Basic realm=\"VCC\"");
    }

    private static SandboxReply gatewayError(int status) {
        String reason = switch (status) {
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
        String html = "<html><head><title>" + status + " " + reason + "</title></head><body><h1>" + status + " "
                + reason + "</h1></body></html>";
        return new SandboxReply(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static int countElements(SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        return body != null && body.path("elements").isArray() ? body.get("elements").size() : 0;
    }

    /** Leaves the exchange unanswered without holding a thread; it is closed after maxSeconds or on close(). */
    private void hang(HttpExchange exchange, Faults.Hangs hangs) {
        int maxSeconds = hangs.maxSeconds() == null ? 300 : hangs.maxSeconds();
        try {
            ScheduledFuture<?> expiry = timer.schedule(() -> releaseHung(exchange), maxSeconds, TimeUnit.SECONDS);
            hung.put(exchange, expiry);
        } catch (RuntimeException e) { // timer already shut down: the sandbox is closing
            exchange.close();
        }
        if (closed) {
            releaseHung(exchange);
        }
    }

    private void releaseHung(HttpExchange exchange) {
        ScheduledFuture<?> expiry = hung.remove(exchange);
        if (expiry != null) {
            expiry.cancel(false);
        }
        exchange.close(); // no response headers were sent: this closes the connection
    }

    private void send(HttpExchange exchange, SandboxReply reply, boolean cut, RequestLog.Entry entry) {
        if (entry != null) {
            entry.finish(reply.status, reply.fault);
        }
        try {
            Headers headers = exchange.getResponseHeaders();
            if (reply.contentType != null) {
                headers.set("Content-Type", reply.contentType);
            }
            reply.headers.forEach(headers::set);
            byte[] body = reply.body;
            if (cut) {
                exchange.sendResponseHeaders(reply.status, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, body.length / 2);
                out.flush();
                exchange.close(); // fewer bytes than declared: the server drops the connection
                return;
            }
            boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(reply.status, noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        } finally {
            exchange.close();
        }
    }

    // ---- admin API (/sandbox/...) ----

    private SandboxReply admin(SandboxRequest req) {
        String path = req.path().endsWith("/") && req.path().length() > 1
                ? req.path().substring(0, req.path().length() - 1) : req.path();
        String m = req.method();
        try {
            switch (path) {
                case "/sandbox/health":
                    return "GET".equals(m) ? SandboxReply.json(200, obj().put("status", "UP")) : adminMethodNotAllowed();
                case "/sandbox/faults":
                    if ("GET".equals(m)) {
                        return faultsReply();
                    }
                    if ("PUT".equals(m)) {
                        try {
                            injector.replace(Faults.fromJson(req.bodyText()));
                        } catch (IllegalArgumentException e) {
                            return SandboxReply.json(400, obj().put("error", e.getMessage()));
                        }
                        return faultsReply();
                    }
                    if ("DELETE".equals(m)) {
                        injector.replace(Faults.none());
                        return faultsReply();
                    }
                    return adminMethodNotAllowed();
                case "/sandbox/reset":
                    if (!"POST".equals(m)) {
                        return adminMethodNotAllowed();
                    }
                    try {
                        reset();
                    } catch (IOException e) {
                        return SandboxReply.json(500, obj().put("error", "seed could not be loaded: " + e.getMessage()));
                    }
                    return SandboxReply.json(200, obj().put("status", "reset"));
                case "/sandbox/requests":
                    if ("DELETE".equals(m)) {
                        log.clear();
                        return SandboxReply.json(200, obj().put("status", "cleared"));
                    }
                    if (!"GET".equals(m)) {
                        return adminMethodNotAllowed();
                    }
                    Map<String, String> q = req.queryParams();
                    long since = q.containsKey("since") ? Long.parseLong(q.get("since")) : 0;
                    int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : Integer.MAX_VALUE;
                    ObjectNode out = obj().put("lastSeq", log.lastSeq()).put("capacity", log.capacity());
                    out.set("requests", log.since(since, q.get("path"), limit));
                    return SandboxReply.json(200, out);
                case "/sandbox/records-in-call":
                    if ("GET".equals(m)) {
                        return SandboxReply.json(200, recordsInCall());
                    }
                    if ("PUT".equals(m)) {
                        return setRecordsInCall(req);
                    }
                    return adminMethodNotAllowed();
                case "/sandbox/genesys/expire-sessions":
                    if (!"POST".equals(m)) {
                        return adminMethodNotAllowed();
                    }
                    int count = genesys.sessionCount();
                    genesys.expireAllSessions();
                    return SandboxReply.json(200, obj().put("expired", count));
                case "/sandbox/genesys/records":
                    return "GET".equals(m) ? genesysRecords(null) : adminMethodNotAllowed();
                default:
                    if (path.startsWith("/sandbox/genesys/records/") && "GET".equals(m)) {
                        return genesysRecords(path.substring("/sandbox/genesys/records/".length()));
                    }
                    return SandboxReply.json(404, obj().put("error", "no admin endpoint " + m + " " + path));
            }
        } catch (NumberFormatException e) {
            return SandboxReply.json(400, obj().put("error", "not a number: " + e.getMessage()));
        }
    }

    private SandboxReply faultsReply() {
        try {
            return new SandboxReply(200, SandboxReply.JSON_CONTENT_TYPE,
                    injector.current().toJson().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return SandboxReply.json(500, obj().put("error", e.getMessage()));
        }
    }

    private ArrayNode recordsInCall() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (VccProject p : state.vcc().projects.values()) {
            synchronized (p) {
                for (VccProject.VccRecord r : p.records.values()) {
                    if (r.inCall) {
                        list.addObject().put("projectid", p.projectid).put("numberid", r.numberid);
                    }
                }
            }
        }
        return list;
    }

    /** Body: [{"projectid":22,"numberid":3}, "22/4", ...] — exactly these records are in call afterwards. */
    private SandboxReply setRecordsInCall(SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (body != null && body.isObject() && body.has("records")) {
            body = body.get("records");
        }
        if (body == null || !body.isArray()) {
            return SandboxReply.json(400, obj().put("error", "expected a JSON array of {projectid, numberid}"));
        }
        Set<Faults.RecordRef> refs = new HashSet<>();
        try {
            for (JsonNode item : body) {
                refs.add(Json.MAPPER.treeToValue(item, Faults.RecordRef.class));
            }
        } catch (IOException | IllegalArgumentException e) {
            return SandboxReply.json(400, obj().put("error", "expected {projectid, numberid} or \"projectid/numberid\": " + e.getMessage()));
        }
        Map<Integer, Set<Long>> byProject = new TreeMap<>();
        refs.forEach(r -> byProject.computeIfAbsent(r.projectid(), k -> new HashSet<>()).add(r.numberid()));
        for (VccProject p : state.vcc().projects.values()) {
            Set<Long> ids = byProject.getOrDefault(p.projectid, Set.of());
            synchronized (p) {
                for (VccProject.VccRecord r : p.records.values()) {
                    r.inCall = ids.contains(r.numberid);
                }
            }
        }
        return SandboxReply.json(200, recordsInCall());
    }

    private SandboxReply genesysRecords(String handle) {
        GenesysState s = state.genesys();
        synchronized (s) {
            if (handle == null) {
                ArrayNode list = Json.MAPPER.createArrayNode();
                s.records.values().forEach(r -> list.add(r.toJson()));
                return SandboxReply.json(200, list);
            }
            Long id = VccApi.parseLong(handle);
            GenesysState.OutboundRecord r = id == null ? null : s.records.get(id);
            return r == null ? SandboxReply.json(404, obj().put("error", "no record handle " + handle))
                    : SandboxReply.json(200, r.toJson());
        }
    }

    private static SandboxReply adminMethodNotAllowed() {
        return SandboxReply.json(405, obj().put("error", "method not allowed"));
    }

    private static ObjectNode obj() {
        return Json.MAPPER.createObjectNode();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs a sandbox until the process is stopped: {@code Sandbox [port] [seed-file]} (default port 8089). */
    public static void main(String[] args) throws Exception {
        SandboxSettings s = SandboxSettings.defaults().withPort(args.length > 0 ? Integer.parseInt(args[0]) : 8089);
        if (args.length > 1) {
            s = s.withSeedFile(java.nio.file.Path.of(args[1]));
        }
        Sandbox sandbox = Sandbox.start(s);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        System.out.println("sandbox listening: VCC " + sandbox.vccBaseUrl() + ", GWS " + sandbox.gwsBaseUrl() + "/api/v2");
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
