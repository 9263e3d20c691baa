package io.dialerbridge.dialer.vcc;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.dialer.AnswerBodies;
import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the dialer's answer to a batch. The body is parsed as JSON whatever its content type says.
 * An index in {@code response} is accepted; an index in {@code errors} is rejected with its
 * {@code errorcode} and {@code errormessage}; an index in neither is rejected as unconfirmed.
 */
public final class PartialResults {

    public BatchOutcome read(Batch batch, int httpStatus, String body, String retryAfter) {
        int attempts = Math.max(1, batch.attempts());
        AnswerClass answer = DialerAnswerException.throwIfWholeRequest(httpStatus, retryAfter);
        JsonNode envelope = AnswerBodies.parseObject(body);
        if (answer != AnswerClass.ACCEPTED || envelope == null || !envelope.has("errors")) {
            Rejection rejection = wholeRequestRefused(httpStatus, envelope, body, attempts);
            if (answer == AnswerClass.REFUSED_MAYBE_FOR_ONE && !hasIndexedErrors(envelope) && batch.size() > 1) {
                return BatchOutcome.mustSplit(rejection.message());
            }
            return BatchOutcome.allRejected(batch, rejection);
        }
        Map<Integer, JsonNode> errors = new HashMap<>();
        for (JsonNode error : envelope.path("errors")) {
            if (error.has("index")) {
                errors.put(error.get("index").asInt(), error);
            }
        }
        JsonNode response = envelope.path("response");
        List<Element> accepted = new ArrayList<>();
        List<Element> rejected = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Element element = batch.elements().get(i);
            JsonNode error = errors.get(i);
            if (error != null) {
                String key = error.path("errormessage").asText("error.unknown");
                Integer code = error.has("errorcode") ? error.get("errorcode").asInt() : null;
                rejected.add(element.rejected(new Rejection(key, code, "the dialer refused this element: " + key,
                        httpStatus, attempts)));
            } else if (response.isObject() && response.has(String.valueOf(i))) {
                accepted.add(element);
            } else {
                rejected.add(element.rejected(new Rejection("error.unconfirmed", null,
                        "the dialer's answer neither confirmed nor refused this element (index " + i + ")",
                        httpStatus, attempts)));
            }
        }
        return new BatchOutcome(accepted, rejected);
    }

    private static Rejection wholeRequestRefused(int httpStatus, JsonNode envelope, String body, int attempts) {
        String key = "error.request_refused";
        if (envelope != null && envelope.path("errors").isArray() && !envelope.path("errors").isEmpty()) {
            key = envelope.path("errors").get(0).path("errormessage").asText(key);
        }
        String detail = envelope == null ? " with a body that is not the API's JSON envelope: " + AnswerBodies.abbreviate(body) : "";
        return new Rejection(key, httpStatus, "the dialer refused the whole request (HTTP " + httpStatus + ", "
                + key + ")" + detail, httpStatus, attempts);
    }

    private static boolean hasIndexedErrors(JsonNode envelope) {
        if (envelope == null) {
            return false;
        }
        for (JsonNode error : envelope.path("errors")) {
            if (error.has("index")) {
                return true;
            }
        }
        return false;
    }
}
