package io.dialerbridge.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer, built before it is written so that faults can delay, cut or replace it. */
final class SandboxReply {

    static final String VCC_CONTENT_TYPE = "text/plain; charset=utf-8";
    static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    /** How many batch elements the request carried (drives per-element latency); 0 for single-object calls. */
    int elements;
    /** Name of the fault that shaped this answer, for the request log; null when none. */
    String fault;

    SandboxReply(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    SandboxReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    SandboxReply fault(String name) {
        this.fault = name;
        return this;
    }

    static SandboxReply json(int status, JsonNode node) {
        return new SandboxReply(status, JSON_CONTENT_TYPE, write(node));
    }

    static SandboxReply text(int status, String text) {
        return new SandboxReply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static SandboxReply empty(int status) {
        return new SandboxReply(status, null, new byte[0]);
    }

    /** The VCC envelope {"errors":[...],"response":...}, sent as text/plain on purpose (see the contract, 1.1). */
    static SandboxReply vcc(int status, ArrayNode errors, JsonNode response) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.set("errors", errors);
        envelope.set("response", response);
        return new SandboxReply(status, VCC_CONTENT_TYPE, write(envelope));
    }

    static SandboxReply vccOk(JsonNode response) {
        return vcc(200, Json.MAPPER.createArrayNode(), response);
    }

    /** A failed single-object call: {"errors":[{"errorcode":code,"errormessage":message}],"response":false}. */
    static SandboxReply vccError(int status, int errorcode, String message) {
        ArrayNode errors = Json.MAPPER.createArrayNode();
        errors.addObject().put("errorcode", errorcode).put("errormessage", message);
        return vcc(status, errors, Json.MAPPER.getNodeFactory().booleanNode(false));
    }

    static SandboxReply vccError(int status, String message) {
        return vccError(status, status, message);
    }

    private static byte[] write(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectMapper mapper() {
        return Json.MAPPER;
    }
}
