package io.dialerbridge.reconcile;

import io.dialerbridge.fields.ProjectFields;
import io.dialerbridge.fields.ProjectFieldsReader;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerHttp;
import io.dialerbridge.dialer.vcc.VccCredentials;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reads a project's fields and its records back from VCC Live ({@code GET /v2/projects/{id}},
 * {@code GET /v2/projects/{id}/records/{numberid}}), at most {@code requestsPerSecond} requests a
 * second: the vendor asks integrators not to mirror its database by reading records one by one.
 */
public final class DialerReadBack implements Reconciliation.DialerRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DialerHttp http;
    private final String baseUrl;
    private final String projectId;
    private final String projectUrl;
    private final VccCredentials credentials;
    private final long nanosBetweenRequests;
    private long nextRequest = System.nanoTime();

    public DialerReadBack(DialerHttp http, String baseUrl, String projectId, VccCredentials credentials,
                          double requestsPerSecond) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.projectId = projectId;
        this.projectUrl = baseUrl + "/projects/" + URLEncoder.encode(projectId, StandardCharsets.UTF_8);
        this.credentials = credentials;
        this.nanosBetweenRequests = (long) (1e9 / requestsPerSecond);
    }

    public ProjectFields fields() {
        try {
            return new ProjectFieldsReader(http, baseUrl, credentials).read(projectId);
        } catch (ProjectFieldsReader.Unreadable e) {
            throw new DialerUnreadableException(e.getMessage());
        }
    }

    @Override
    public JsonNode data(String numberid) {
        JsonNode record = read(projectUrl + "/records/" + URLEncoder.encode(numberid, StandardCharsets.UTF_8),
                "record " + numberid);
        return record == null ? null : record.path("data");
    }

    /** The envelope's {@code response}; null when the dialer says there is no such thing. */
    private JsonNode read(String url, String what) {
        HttpResponse<String> answer;
        try {
            pace();
            answer = http.read(URI.create(url), credentials.authorization());
        } catch (IOException e) {
            throw new DialerUnreadableException("the dialer cannot be read at " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DialerUnreadableException("interrupted while reading " + what);
        }
        JsonNode envelope = parse(answer.body());
        int status = answer.statusCode();
        if (AnswerClass.of(status) == AnswerClass.CREDENTIALS_REFUSED) {
            throw new DialerUnreadableException("the dialer refused the credentials of customer '"
                    + credentials.customer() + "' (HTTP " + status + "): check VCC_CUSTOMER and VCC_TOKEN");
        }
        if (status == 200 && envelope != null && envelope.path("response").isObject()) {
            return envelope.get("response");
        }
        if (status == 404 || names(envelope, "error.record_not_exists")) {
            return null;
        }
        throw new DialerUnreadableException("the dialer answered HTTP " + status + " to the read of " + what + ": "
                + (envelope == null ? "a body that is not the API's JSON envelope" : envelope.path("errors")));
    }

    private static boolean names(JsonNode envelope, String error) {
        if (envelope != null) {
            for (JsonNode each : envelope.path("errors")) {
                if (error.equals(each.path("errormessage").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Waits until the next request may go, so that requests keep the configured rate. */
    private void pace() throws InterruptedException {
        long wait = nextRequest - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        nextRequest = Math.max(nextRequest, System.nanoTime()) + nanosBetweenRequests;
    }

    /** The dialer could not be read: reconcile exits 1. */
    public static final class DialerUnreadableException extends RuntimeException {
        public DialerUnreadableException(String message) {
            super(message);
        }
    }
}
