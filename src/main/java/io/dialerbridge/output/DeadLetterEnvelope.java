package io.dialerbridge.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;

import java.time.Instant;
import java.util.Base64;

/**
 * The JSON object of one dead letter, the same in files and on the topic: {@code id}, {@code time},
 * {@code projectid}, {@code operation}, {@code source}, {@code error}, {@code errorCode},
 * {@code errorMessage}, {@code httpStatus}, {@code attempts}, {@code element}, and, when the element
 * came with them, {@code default}, {@code raw} and {@code rawBase64} (the exact bytes of input that is
 * not valid UTF-8). {@code replay} reads it back.
 */
public final class DeadLetterEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterEnvelope() {
    }

    public static ObjectNode of(Element element, Instant time) {
        Rejection why = element.rejection();
        ObjectNode letter = JSON.createObjectNode();
        letter.put("id", element.id());
        letter.put("time", time.toString());
        letter.put("projectid", element.projectId());
        letter.put("operation", element.operation().id());
        letter.set("source", JSON.valueToTree(element.source().asMap()));
        letter.put("error", why.error());
        if (why.apiErrorCode() != null) {
            letter.put("errorCode", why.apiErrorCode());
        } else {
            letter.putNull("errorCode");
        }
        letter.put("errorMessage", why.message());
        letter.put("httpStatus", why.httpStatus());
        letter.put("attempts", why.attempts());
        letter.set("element", element.body());
        if (element.defaults() != null) {
            letter.set("default", element.defaults());
        }
        if (element.raw() != null) {
            letter.put("raw", element.raw());
        }
        if (element.rawBytes() != null) {
            letter.put("rawBase64", Base64.getEncoder().encodeToString(element.rawBytes()));
        }
        return letter;
    }
}
