package io.dialerbridge.operation;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What is particular to one operation: how an element is checked before sending, which of its
 * keys go on the wire, and how it travels (in a batch request, or one request per element).
 * Everything else (reading, batching, sending, partial results, dead letters) is shared.
 */
public interface OperationRules {

    /** How the elements of an operation travel to the dialer. */
    enum Delivery {
        /** Many elements in one VCC Live request, answered index by index ({@code direct:call-dialer}). */
        VCC_BATCH,
        /** One VCC Live request per element ({@code direct:call-dialer-single}). */
        VCC_SINGLE,
        /** One Genesys (GWS) request per element, inside a session ({@code direct:call-genesys}). */
        GENESYS_SINGLE
    }

    /** Null when the element may be sent, else why not (the API's own error names where they exist). */
    Rejection validate(ObjectNode element);

    /**
     * Checks the element together with the request-level defaults that came with it from its
     * source (the {@code default} or {@code disposition} object of a whole-request JSON file, a Kafka
     * value's {@code default}). An operation without request-level defaults ({@link #requestDefaultsKey()}
     * null) refuses an element that came with some ({@code error.unknown_key}): they would not be sent.
     */
    default Rejection validate(ObjectNode element, ObjectNode sourceDefaults) {
        Rejection own = validate(element);
        if (own == null && requestDefaultsKey() == null && sourceDefaults != null && !sourceDefaults.isEmpty()) {
            return Rejection.beforeSending("error.unknown_key", "this operation sends each element on its own, with no "
                    + "request-level default object, so the default given with the element (keys "
                    + String.join(", ", (Iterable<String>) sourceDefaults::fieldNames)
                    + ") would not be sent: put its values in the element");
        }
        return own;
    }

    /**
     * The element as the API takes it, in API form. {@link #validate} refuses an element with a key
     * this leaves out (other than {@code projectid}, which the bridge reads), so nothing is dropped.
     */
    ObjectNode toWire(ObjectNode element);

    default Delivery delivery() {
        return Delivery.VCC_BATCH;
    }

    /** True when each element is its own request (see {@link #singleRequest}). */
    default boolean perElement() {
        return delivery() != Delivery.VCC_BATCH;
    }

    /** Batch operations: the request path under the API base. */
    default String batchPath(String projectId) {
        return "/projects/" + projectId + "/records";
    }

    /**
     * Batch operations: the name of the request-level object applied to every element ({@code default}
     * for record modification, {@code disposition} for disposition modification); null when none.
     */
    default String requestDefaultsKey() {
        return "default";
    }

    /** Batch operations: request-level settings from configuration other than the defaults object. */
    default void addRequestSettings(ObjectNode body, ProjectDefaults configured, String projectId) {
    }

    /** Per-element operations: the one request that carries this (valid) element. */
    default SingleRequest singleRequest(String projectId, ObjectNode element) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " sends elements in batches");
    }

    /**
     * Whether an element error the dialer gives is transient (the same element can succeed later,
     * such as {@code error.record_in_call}): such elements are sent again later, not dead-lettered.
     */
    default boolean isTransient(String error) {
        return false;
    }

    /** One HTTP request for one element: method, path under the API base, JSON body. */
    record SingleRequest(String method, String path, ObjectNode body) {
    }
}
