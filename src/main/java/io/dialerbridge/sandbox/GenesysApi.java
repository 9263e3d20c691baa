package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Genesys Web Services, the outbound UpdateRecord operation with its session and CSRF flow (contract section 2),
 * below {@code /api/v2}.
 */
final class GenesysApi {

    static final String CSRF_HEADER = "X-CSRF-TOKEN";
    static final Set<String> PHONE_TYPES = Set.of("NoContactType", "HomePhone", "DirectBusinessPhone", "BusinessWithExt",
            "Mobile", "VacationPhone", "Pager", "Modem", "VoiceMail", "PinPager", "EmailAddress", "InstantMessaging");

    private record Session(String token, long createdMillis) {
    }

    private final Supplier<GenesysState> state;
    private final FaultInjector faults;
    private final String expectedAuthorization;
    private final String user;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final GenesysNotifications notifications;

    GenesysApi(Supplier<GenesysState> state, FaultInjector faults, ScheduledExecutorService timer, String user,
               String password) {
        this.state = state;
        this.faults = faults;
        this.notifications = new GenesysNotifications(faults, timer);
        this.user = user;
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    void expireAllSessions() {
        sessions.clear();
    }

    /** Forgets the CometD clients too (a reset is a restart of the server). */
    void forgetNotificationClients() {
        notifications.forgetAll();
    }

    int sessionCount() {
        return sessions.size();
    }

    SandboxReply handle(SandboxRequest req) {
        if (faults.current().rejectsCredentials()) {
            return unauthorized().fault("reject-credentials");
        }
        String authorization = req.header("Authorization");
        boolean basicGiven = authorization != null;
        boolean basicValid = expectedAuthorization.equals(authorization);
        String sessionId = sessionIdFrom(req.header("Cookie"));
        Session session = sessionId == null ? null : liveSession(sessionId);
        String method = req.method();
        if (method.equals("GET") || method.equals("HEAD")) {
            if (basicGiven && !basicValid) {
                return unauthorized();
            }
            if (!basicValid && session == null) {
                return unauthorized();
            }
            SandboxReply reply;
            if (session == null) {
                sessionId = newId(16);
                session = new Session(newId(16), System.currentTimeMillis());
                sessions.put(sessionId, session);
                reply = get(req);
                reply.header("Set-Cookie", "JSESSIONID=" + sessionId + "; Path=/; HttpOnly");
            } else {
                reply = get(req);
            }
            return reply.header("X-CSRF-HEADER", CSRF_HEADER).header(CSRF_HEADER, session.token());
        }
        // Like Spring Security's CSRF filter: every state-changing request needs the session and its token first.
        String token = req.header(CSRF_HEADER);
        if (session == null || token == null || !token.equals(session.token())) {
            return SandboxReply.text(403, "Missing or invalid Csrf token");
        }
        if (basicGiven && !basicValid) {
            return unauthorized();
        }
        if (method.equals("POST") && GenesysNotifications.isNotificationPath(req.path())) {
            return notifications.handle(req);
        }
        String prefix = "/api/v2/me/outbound-records/";
        if (method.equals("POST") && req.path().startsWith(prefix) && req.path().length() > prefix.length()
                && req.path().indexOf('/', prefix.length()) < 0) {
            return updateRecord(req.path().substring(prefix.length()), req);
        }
        return status(404, 6, "Not found: " + method + " " + req.path());
    }

    private SandboxReply get(SandboxRequest req) {
        if (req.path().equals("/api/v2/me") || req.path().equals("/api/v2/me/")) {
            ObjectNode body = Json.MAPPER.createObjectNode().put("statusCode", 0);
            body.putObject("user").put("userName", user).put("id", "sandbox-user").put("roles", "Agent");
            return SandboxReply.json(200, body);
        }
        return status(404, 6, "Not found: " + req.path());
    }

    private SandboxReply updateRecord(String handleText, SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        if (!(body instanceof ObjectNode)) {
            return status(200, 1, "Request body must be a JSON object");
        }
        String referenceId = text(body.get("referenceId"));
        for (String required : new String[]{"operationName", "applicationId", "campaignName", "devicePath"}) {
            JsonNode v = body.get(required);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                return refused(referenceId, 1, "Required parameter is missing: " + required);
            }
        }
        if (!"UpdateRecord".equals(body.get("operationName").asText())) {
            return refused(referenceId, 10, "Invalid value for operationName: " + body.get("operationName").asText());
        }
        Long applicationId = integer(body.get("applicationId"));
        if (applicationId == null) {
            return refused(referenceId, 10, "Invalid value for applicationId");
        }
        String devicePath = body.get("devicePath").asText();
        if (!devicePath.startsWith("/devices/") || devicePath.length() == "/devices/".length()) {
            return refused(referenceId, 10, "Invalid value for devicePath: " + devicePath);
        }
        String phoneType = text(body.get("phoneType"));
        if (phoneType != null && !PHONE_TYPES.contains(phoneType)) {
            return refused(referenceId, 10, "Invalid value for phoneType: " + phoneType);
        }
        Integer from = null;
        Integer until = null;
        for (String key : new String[]{"from", "until"}) {
            JsonNode v = body.get(key);
            if (v == null || v.isNull()) {
                continue;
            }
            Long seconds = integer(v);
            if (seconds == null || seconds < 0 || seconds > 86399) {
                return refused(referenceId, 10, "Invalid value for " + key + ": " + v.asText() + " (0-86399)");
            }
            if (key.equals("from")) {
                from = seconds.intValue();
            } else {
                until = seconds.intValue();
            }
        }
        Long handle = VccApi.parseLong(handleText);
        String campaignName = body.get("campaignName").asText();
        String callingList = text(body.get("callingList"));
        GenesysState s = state.get();
        synchronized (s) {
            GenesysState.OutboundRecord r = handle == null ? null : s.records.get(handle);
            if (r == null) {
                return refused(referenceId, 6, "Record not found: " + handleText);
            }
            if (!r.campaignName.equals(campaignName)) {
                return refused(referenceId, 6, "Record " + handle + " not found in campaign " + campaignName);
            }
            if (callingList != null && !callingList.equals(r.callingList)) {
                return refused(referenceId, 6, "Record " + handle + " not found in calling list " + callingList);
            }
            if (notifications.refusesLater(handle)) {
                notifications.refuse(referenceId, 2, "Record " + handle + " is not in a state to be updated");
                return SandboxReply.json(200, Json.MAPPER.createObjectNode().put("statusCode", 0));
            }
            if (body.hasNonNull("phoneNumber")) {
                r.phoneNumber = body.get("phoneNumber").asText();
            }
            if (phoneType != null) {
                r.phoneType = phoneType;
            }
            if (body.hasNonNull("timeZone")) {
                r.timeZone = body.get("timeZone").asText();
            }
            if (from != null) {
                r.from = from;
            }
            if (until != null) {
                r.until = until;
            }
            r.updates.add(new GenesysState.Update(Instant.now().toString(), applicationId, referenceId));
        }
        if (referenceId != null) {
            ObjectNode record = Json.MAPPER.createObjectNode().put("campaignName", campaignName)
                    .put("devicePath", devicePath).put("callingList", callingList).put("applicationId", applicationId)
                    .put("recordHandle", handle);
            notifications.acknowledge(handle, referenceId, record, text(body.get("callResult")));
        }
        return SandboxReply.json(200, Json.MAPPER.createObjectNode().put("statusCode", 0));
    }

    /** A refusal in the HTTP answer; with a {@code referenceId}, the error event follows over CometD too. */
    private SandboxReply refused(String referenceId, int statusCode, String message) {
        if (referenceId != null) {
            notifications.refuse(referenceId, statusCode, message);
        }
        return status(200, statusCode, message);
    }

    private Session liveSession(String id) {
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        Integer ttl = faults.current().sessionTtlSeconds();
        if (ttl != null && System.currentTimeMillis() - s.createdMillis() >= ttl * 1000L) {
            sessions.remove(id);
            return null;
        }
        return s;
    }

    static String sessionIdFrom(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String p = part.trim();
            if (p.startsWith("JSESSIONID=")) {
                return p.substring("JSESSIONID=".length());
            }
        }
        return null;
    }

    private static Long integer(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            return VccApi.parseLong(v.asText());
        }
        return null;
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }

    private String newId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b).toUpperCase();
    }

    static SandboxReply unauthorized() {
        return SandboxReply.json(401, Json.MAPPER.createObjectNode().put("statusCode", 20).put("statusMessage", "Not authenticated"))
                .header("WWW-Authenticate", "Basic realm=\"GWS\"");
    }

    static SandboxReply status(int http, int statusCode, String message) {
        return SandboxReply.json(http, Json.MAPPER.createObjectNode().put("statusCode", statusCode).put("statusMessage", message));
    }
}
