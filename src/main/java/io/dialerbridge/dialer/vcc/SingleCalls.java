package io.dialerbridge.dialer.vcc;

import io.dialerbridge.dialer.AnswerBodies;
import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.OperationRules;
import io.dialerbridge.output.Results;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;

/**
 * The VCC Live operations sent one request per element (add-records, modify-contacts): what to
 * send for an element, and what its answer means. Used by route {@code call-dialer-single}.
 *
 * <p>add-records is not idempotent, so it goes through the {@link AddRecordsJournal}: an element
 * the journal says was created is not sent again (its numberid comes from the journal); one whose
 * earlier attempt has an unknown outcome (journal: sending) is first looked up by the configured
 * unique field with a side-effect-free probe (batch record modification with that field as
 * {@code search} and an empty {@code form}): found → not sent again; not found → sent; no unique
 * field, or a probe the dialer refuses → dead-lettered as {@code error.outcome_unknown}.
 */
public final class SingleCalls {

    private static final Logger LOG = LoggerFactory.getLogger(SingleCalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AddRecordsJournal journal;
    private final Results results;
    private final String uniqueField;

    public SingleCalls(AddRecordsJournal journal, Results results, String uniqueField) {
        this.journal = journal;
        this.results = results;
        this.uniqueField = uniqueField == null || uniqueField.isBlank() ? null : uniqueField.trim();
    }

    /** The first step for an element (on a redelivery too: the journal decides). */
    public SingleCall first(Element element) {
        if (element.operation() == Operation.ADD_RECORDS) {
            AddRecordsJournal.Entry entry = journal.get(element.id());
            if (entry != null && entry.state() == AddRecordsJournal.State.CREATED) {
                results.write(element, result(entry.numberid(), "created-earlier"));
                return SingleCall.accepted(element);
            }
            if (entry != null && entry.state() == AddRecordsJournal.State.EXISTED) {
                results.write(element, result(null, "existed"));
                return SingleCall.accepted(element);
            }
            if (entry != null && entry.state() == AddRecordsJournal.State.SENDING) {
                return probeOrGiveUp(element, "an earlier attempt to add this record has an unknown outcome");
            }
            journal.sending(element.id());
        }
        return send(element);
    }

    private SingleCall send(Element element) {
        OperationRules.SingleRequest request = element.operation().rules().singleRequest(element.projectId(), element.body());
        return SingleCall.send(element, request.method(), request.path(), json(request.body()));
    }

    private SingleCall probeOrGiveUp(Element element, String why) {
        JsonNode value = uniqueField == null ? null : element.body().path("form").get(uniqueField);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return SingleCall.rejected(element, new Rejection("error.outcome_unknown", null, why + ", and it cannot be "
                    + "looked up: " + (uniqueField == null ? "add-records.unique-field is not set"
                    : "the element has no " + uniqueField) + ". It is not sent again, so that no duplicate is created: "
                    + "check the dialer for it before re-sending", 0, 0));
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode probe = body.putArray("elements").addObject();
        probe.putObject("search").put(uniqueField, value.asText());
        probe.putObject("form");
        LOG.info("{}: looking it up by {} before sending it again", element.source(), uniqueField);
        return SingleCall.probe(element, "/projects/" + element.projectId() + "/records", json(body));
    }

    /** Reads the dialer's answer to a step: the next step, or the outcome. */
    public SingleCall answer(SingleCall call, int httpStatus, String body, String retryAfter, Integer redeliveries) {
        int attempts = redeliveries == null ? 1 : redeliveries + 1;
        Element element = call.element();
        AnswerClass answer = DialerAnswerException.throwIfWholeRequest(httpStatus, retryAfter);
        JsonNode envelope = AnswerBodies.parseObject(body);
        JsonNode firstError = envelope == null ? null : envelope.path("errors").path(0);
        String errorKey = firstError == null || firstError.isMissingNode()
                ? null : firstError.path("errormessage").asText("error.unknown");
        boolean ok = answer == AnswerClass.ACCEPTED && envelope != null && envelope.has("response") && errorKey == null;

        if (call.step() == SingleCall.Step.PROBE) {
            if (ok && envelope.path("response").has("0")) {
                journal.existed(element.id());
                results.write(element, result(null, "existed"));
                LOG.info("{}: a record with this {} already exists; not sent again", element.source(), uniqueField);
                return SingleCall.accepted(element);
            }
            if ("error.record_not_found".equals(errorKey)) {
                return send(element);
            }
            return SingleCall.rejected(element, new Rejection("error.outcome_unknown", null, "an earlier attempt to add "
                    + "this record has an unknown outcome, and the look-up by " + uniqueField + " was refused (HTTP "
                    + httpStatus + ", " + (errorKey == null ? AnswerBodies.abbreviate(body) : errorKey) + "). It is not sent again, so "
                    + "that no duplicate is created: check the dialer for it before re-sending", httpStatus, attempts));
        }

        if (ok) {
            if (element.operation() == Operation.ADD_RECORDS) {
                JsonNode response = envelope.get("response");
                JsonNode id = response.isArray() ? response.path(0) : response;
                Long numberid = id.canConvertToLong() || id.asText().matches("\\d+") ? id.asLong() : null;
                journal.created(element.id(), numberid);
                results.write(element, result(numberid, "created"));
            }
            return SingleCall.accepted(element);
        }
        if (element.operation() == Operation.ADD_RECORDS) {
            journal.refused(element.id());
        }
        String key = errorKey != null ? errorKey : "error.request_refused";
        Integer code = firstError != null && firstError.has("errorcode") ? firstError.get("errorcode").asInt() : null;
        String detail = envelope == null ? " with a body that is not the API's JSON envelope: " + AnswerBodies.abbreviate(body) : "";
        return SingleCall.rejected(element, new Rejection(key, code, "the dialer refused this element (HTTP "
                + httpStatus + ", " + key + ")" + detail, httpStatus, attempts));
    }

    private ObjectNode result(Long numberid, String status) {
        ObjectNode result = JSON.createObjectNode();
        if (numberid == null) {
            result.putNull("numberid");
        } else {
            result.put("numberid", numberid);
        }
        result.put("status", status);
        return result;
    }


    static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

}
