package io.dialerbridge.fields;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.config.Settings;
import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerHttp;
import io.dialerbridge.dialer.vcc.VccCredentials;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Reads a project's fields from VCC Live ({@code GET /v2/projects/{id}}) through the bridge's one JDK
 * client ({@link DialerHttp}). Used by the pre-flight field check and by {@code reconcile}.
 */
public final class ProjectFieldsReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DialerHttp http;
    private final String baseUrl;
    private final VccCredentials credentials;

    public ProjectFieldsReader(DialerHttp http, String baseUrl, VccCredentials credentials) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.credentials = credentials;
    }

    /** For the one-shot commands (validate, reconcile): the dialer's address: vcc.base-url, or VCC Live's own for the customer. */
    public static String vccBaseUrl(Settings settings) {
        return settings.isBlank("vcc.base-url")
                ? "https://" + settings.get("vcc.customer") + ".asp.virtual-call-center.eu/v2" : settings.get("vcc.base-url");
    }

    /** The project's fields; {@link Unreadable} when the dialer cannot be asked or does not answer with them. */
    public ProjectFields read(String projectId) {
        String url = baseUrl + "/projects/" + URLEncoder.encode(projectId, StandardCharsets.UTF_8);
        HttpResponse<String> answer;
        try {
            answer = http.read(URI.create(url), credentials.authorization());
        } catch (IOException e) {
            throw new Unreadable("the dialer cannot be read at " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable("interrupted while reading the project at " + url);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("the dialer's address is not a URL: " + url);
        }
        int status = answer.statusCode();
        JsonNode envelope = parse(answer.body());
        if (AnswerClass.of(status) == AnswerClass.CREDENTIALS_REFUSED) {
            throw new Unreadable("the dialer refused the credentials of customer '" + credentials.customer()
                    + "' (HTTP " + status + "): check VCC_CUSTOMER and VCC_TOKEN");
        }
        if (status == 200 && envelope != null && envelope.path("response").isObject()) {
            return ProjectFields.of(envelope.get("response"));
        }
        if (status == 404) {
            throw new Unreadable("the dialer has no project at " + url);
        }
        throw new Unreadable("the dialer answered HTTP " + status + " to the read of the project: "
                + (envelope == null ? "a body that is not the API's JSON envelope" : envelope.path("errors")));
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The project's fields could not be read (no connection, a timeout, 5xx, refused credentials, no such project). */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }
}
