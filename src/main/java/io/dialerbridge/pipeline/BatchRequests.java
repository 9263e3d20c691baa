package io.dialerbridge.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the request a batch is sent as: its path under the API base and its JSON body, with the
 * project's defaults filled in.
 */
public final class BatchRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProjectDefaults projectDefaults;

    public BatchRequests(ProjectDefaults projectDefaults) {
        this.projectDefaults = projectDefaults;
    }

    public String path(Batch batch) {
        return "/projects/" + batch.projectId() + "/records";
    }

    public String body(Batch batch) throws JsonProcessingException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode elements = body.putArray("elements");
        OperationRules rules = batch.operation().rules();
        for (Element element : batch.elements()) {
            elements.add(rules.toWire(element.body()));
        }
        ObjectNode defaults = projectDefaults.forBatch(batch.projectId(), batch.defaults());
        if (!defaults.isEmpty()) {
            body.set("default", defaults);
        }
        return JSON.writeValueAsString(body);
    }
}
