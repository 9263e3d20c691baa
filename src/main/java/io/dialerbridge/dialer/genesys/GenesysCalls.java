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
 * id, so a retry carries the same one), signing with the {@link GenesysSession}, the answer and
 * the confirmation. An answer with {@code statusCode} other than 0 is dead-lettered with
 * {@code statusCode} and {@code statusMessage}; a 403/401 logs in again and sends the element once
 * more. {@code statusCode} 0 only means Genesys took the request: with {@code gws.confirm=cometd}
 * the element is accepted when its acknowledgement arrives over CometD ({@link GenesysAcknowledgements}),
 * dead-lettered with the error event's code and message, or as {@code error.gws_unconfirmed} when
 * nothing arrives in time, and sent again (a transient failure) when the CometD session was renewed
 * before anything arrived; with {@code gws.confirm=http} the answer alone accepts it. Accepted
 * elements' referenceIds go to the results. Used by route {@code call-genesys}.
 */
public final class GenesysCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> STATUS_NAMES = Map.of(1, "missing_parameter", 2, "invalid_state",
            3, "forbidden", 4, "internal_error", 5, "no_permission", 6, "not_found", 10, "invalid_value",
            20, "not_authenticated");

    private final GenesysSession session;
    private final GenesysAcknowledgements acknowledgements;
    private final boolean confirmByCometd;
    private final Results results;
    private final Map<String, String> configured;
    private final UpdateOutboundRecordsRules rules = new UpdateOutboundRecordsRules();

    public GenesysCalls(GenesysSession session, GenesysAcknowledgements acknowledgements, boolean confirmByCometd,
                        Results results, String applicationId, String campaignName, String devicePath,
                        String callingList) {
        this.session = session;
        this.acknowledgements = acknowledgements;
        this.confirmByCometd = confirmByCometd;
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
        if (confirmByCometd) {
            acknowledgements.expect(referenceId(element));
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
            return SingleCall.accepted(element);
        }
        return SingleCall.rejected(element, refusal(statusCode, answer.path("statusMessage").asText(""), httpStatus, attempts));
    }

    /**
     * The element's outcome once the answer took it: with CometD confirmation, what Genesys sent for its
     * referenceId (waiting up to {@code gws.ack-timeout}); accepted elements' results are written here.
     */
    public SingleCall confirm(SingleCall call, Integer redeliveries) {
        Element element = call.element();
        String referenceId = referenceId(element);
        if (!call.outcome().rejected().isEmpty() || !confirmByCometd) {
            acknowledgements.forget(referenceId);
            return call.outcome().rejected().isEmpty() ? acceptedWithResult(element, referenceId, "http") : call;
        }
        int attempts = redeliveries == null ? 1 : redeliveries + 1;
        GenesysAcknowledgements.Acknowledgement ack = acknowledgements.await(referenceId);
        if (ack == null) {
            return SingleCall.rejected(element, new Rejection("error.gws_unconfirmed", null, "Genesys took the update "
                    + "(statusCode 0) but sent no acknowledgement for referenceId " + referenceId + " within "
                    + acknowledgements.timeout().toMillis() + " ms", 200, attempts));
        }
        if (ack.renewed()) {
            throw new DialerAnswerException.Transient("the CometD session with Genesys was renewed before the "
                    + "acknowledgement of referenceId " + referenceId + " arrived: sending it again", 0, null);
        }
        if (!ack.acknowledged()) {
            return SingleCall.rejected(element, refusal(ack.errorCode() == null ? -1 : ack.errorCode(),
                    ack.errorMessage(), 200, attempts));
        }
        return acceptedWithResult(element, referenceId, "cometd");
    }

    private SingleCall acceptedWithResult(Element element, String referenceId, String confirmedBy) {
        ObjectNode result = JSON.createObjectNode();
        result.put("recordHandle", element.body().get("recordHandle").asText().trim());
        result.put("referenceId", referenceId);
        result.put("statusCode", 0);
        result.put("confirmedBy", confirmedBy);
        results.write(element, result);
        return SingleCall.accepted(element);
    }

    private static Rejection refusal(int statusCode, String message, int httpStatus, int attempts) {
        return new Rejection("error.gws_" + STATUS_NAMES.getOrDefault(statusCode, "status_" + statusCode), statusCode,
                message, httpStatus, attempts);
    }


}
