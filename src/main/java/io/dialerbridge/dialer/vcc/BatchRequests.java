package io.dialerbridge.dialer.vcc;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.OperationRules;
import io.dialerbridge.operation.ProjectDefaults;
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
        return batch.operation().rules().batchPath(batch.projectId());
    }

    /**
     * The body as UTF-8 bytes (the request's Content-Type says so): written straight to bytes, it costs
     * less than a String that the HTTP client encodes again, and serialising is the largest per-element
     * cost of the bridge's own code in a profile of a one-shot send (docs/BENCHMARKS.md).
     */
    public byte[] body(Batch batch) throws JsonProcessingException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode elements = body.putArray("elements");
        OperationRules rules = batch.operation().rules();
        for (Element element : batch.elements()) {
            elements.add(rules.toWire(element.body()));
        }
        String defaultsKey = rules.requestDefaultsKey();
        ObjectNode defaults = projectDefaults.forBatch(batch.projectId(), defaultsKey, batch.defaults());
        if (defaultsKey != null && !defaults.isEmpty()) {
            body.set(defaultsKey, defaults);
        }
        rules.addRequestSettings(body, projectDefaults, batch.projectId());
        return JSON.writeValueAsBytes(body);
    }
}
