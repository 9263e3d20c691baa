package io.dialerbridge.dialer.genesys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.dialer.AnswerBodies;
import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.output.Results;
import io.dialerbridge.dialer.vcc.SingleCall;
import io.dialerbridge.operation.UpdateOutboundRecordsRules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * update-outbound-records, one Genesys UpdateRecord per element: the request (the element's
 * values over the configured {@code gws.*} ones, a {@code referenceId} derived from the element's
 * id, so a retry carries the same one), signing with the {@link GenesysSession}, and the answer:
 * {@code statusCode} 0 is accepted (the referenceId goes to the results), any other is
 * dead-lettered with {@code statusCode} and {@code statusMessage}; a 403/401 logs in again and
 * sends the element once more. Used by route {@code call-genesys}.
 */
public final class GenesysCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> STATUS_NAMES = Map.of(1, "missing_parameter", 2, "invalid_state",
            3, "forbidden", 4, "internal_error", 5, "no_permission", 6, "not_found", 10, "invalid_value",
            20, "not_authenticated");

    private final GenesysSession session;
    private final Results results;
    private final Map<String, String> configured;
    private final UpdateOutboundRecordsRules rules = new UpdateOutboundRecordsRules();

    public GenesysCalls(GenesysSession session, Results results, String applicationId, String campaignName,
                        String devicePath, String callingList) {
        this.session = session;
        this.results = results;
        this.configured = new LinkedHashMap<>();
        configured.put("applicationId", applicationId);
        configured.put("campaignName", campaignName);
        configured.put("devicePath", devicePath);
        configured.put("callingList", callingList);
    }

    /** A referenceId unique to the element and the same on every attempt. */
    public static String referenceId(Element element) {
        return UUID.nameUUIDFromBytes(("dialer-bridge:" + element.id()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public SingleCall first(Element element) {
        ObjectNode body = rules.withConfigured(element.body(), configured, referenceId(element));
        Rejection missing = rules.checkRequest(body);
        if (missing != null) {
            return SingleCall.rejected(element, missing);
        }
        try {
            return SingleCall.send(element, "POST", "/api/v2/me/outbound-records/"
                    + element.body().get("recordHandle").asText().trim(), JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the session into the headers; the answer tells which session the request carried. */
    public SingleCall sign(@org.apache.camel.Variable("call") SingleCall call,
                           @org.apache.camel.Headers Map<String, Object> headers) throws IOException {
        return call.signedWith(session.sign(headers));
    }

    public void unsign(@org.apache.camel.Headers Map<String, Object> headers) {
        session.unsign(headers);
    }

    public SingleCall answer(SingleCall call, int httpStatus, String body, String retryAfter, Integer redeliveries) {
        int attempts = redeliveries == null ? 1 : redeliveries + 1;
        Element element = call.element();
        AnswerClass answerClass = AnswerClass.of(httpStatus);
        if (answerClass == AnswerClass.CREDENTIALS_REFUSED) {
            session.invalidate(call.sessionGeneration());
            if (!call.relogged()) {
                return call.afterRelogin();
            }
            throw new DialerAnswerException.CredentialsRefused("Genesys refused the request after a fresh login (HTTP "
                    + httpStatus + ")", httpStatus);
        }
        if (answerClass == AnswerClass.BUSY) {
            throw new DialerAnswerException.Transient("Genesys answered HTTP " + httpStatus, httpStatus, retryAfter);
        }
        JsonNode answer = AnswerBodies.parseObject(body);
        if (answer == null || !answer.has("statusCode")) {
            return SingleCall.rejected(element, new Rejection("error.request_refused", null, "Genesys answered HTTP "
                    + httpStatus + " without a statusCode: " + AnswerBodies.abbreviate(body), httpStatus, attempts));
        }
        int statusCode = answer.get("statusCode").asInt(-1);
        if (statusCode == 0 && answerClass == AnswerClass.ACCEPTED) {
            ObjectNode result = JSON.createObjectNode();
            result.put("recordHandle", element.body().get("recordHandle").asText().trim());
            result.put("referenceId", referenceId(element));
            result.put("statusCode", 0);
            results.write(element, result);
            return SingleCall.accepted(element);
        }
        String message = answer.path("statusMessage").asText("");
        return SingleCall.rejected(element, new Rejection("error.gws_" + STATUS_NAMES.getOrDefault(statusCode,
                "status_" + statusCode), statusCode, message, httpStatus, attempts));
    }


}
