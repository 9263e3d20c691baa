package io.dialerbridge.dialer.vcc;

import io.dialerbridge.config.ConfigurationException;
import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerHttp;

import java.io.IOException;
import java.net.URI;

/**
 * Asks the dialer, before any element is sent, whether it is reachable, accepts the credentials and
 * knows the project: a one-shot run fails fast (exit 1) instead of dead-lettering a whole file.
 */
public final class DialerProbe {

    private final DialerHttp http;
    private final String baseUrl;
    private final VccCredentials credentials;

    public DialerProbe(DialerHttp http, String baseUrl, VccCredentials credentials) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.credentials = credentials;
    }

    public void check(String projectId) {
        String url = baseUrl + "/projects/" + projectId;
        int status;
        try {
            status = http.get(URI.create(url), credentials.authorization()).statusCode();
        } catch (IOException e) {
            throw new DialerUnreachableException("the dialer API at " + baseUrl + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DialerUnreachableException("interrupted while probing the dialer", e);
        }
        AnswerClass answer = AnswerClass.of(status);
        if (answer == AnswerClass.CREDENTIALS_REFUSED) {
            throw new ConfigurationException("the dialer refused the credentials of customer '"
                    + credentials.customer() + "' (HTTP " + status + "): check VCC_CUSTOMER and VCC_TOKEN");
        }
        if (status == 404) {
            throw new ConfigurationException("the dialer has no project " + projectId);
        }
        if (answer != AnswerClass.ACCEPTED) {
            throw new DialerUnreachableException("the dialer answered HTTP " + status + " to " + url, null);
        }
    }

    /** The dialer cannot be reached or does not answer sensibly. */
    public static final class DialerUnreachableException extends RuntimeException {
        public DialerUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
