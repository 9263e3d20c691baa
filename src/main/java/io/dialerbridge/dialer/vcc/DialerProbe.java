package io.dialerbridge.dialer.vcc;

import io.dialerbridge.config.ConfigurationException;
import io.dialerbridge.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the dialer, before any element is sent, whether it is reachable, accepts the credentials and
 * knows the project: a one-shot run fails fast (exit 1) instead of dead-lettering a whole file.
 */
public final class DialerProbe {

    private DialerProbe() {
    }

    public static void check(Settings settings, String projectId) {
        String url = settings.get("vcc.base-url") + "/projects/" + projectId;
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(settings.getInt("vcc.connect-timeout"))).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(settings.getInt("vcc.response-timeout")))
                .header("Authorization", new VccCredentials(settings.get("vcc.customer"), settings.get("vcc.token")).authorization())
                .GET().build();
        int status;
        try {
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new DialerUnreachableException("the dialer API at " + settings.get("vcc.base-url")
                    + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DialerUnreachableException("interrupted while probing the dialer", e);
        }
        if (status == 401 || status == 403) {
            throw new ConfigurationException("the dialer refused the credentials of customer '"
                    + settings.get("vcc.customer") + "' (HTTP " + status + "): check VCC_CUSTOMER and VCC_TOKEN");
        }
        if (status == 404) {
            throw new ConfigurationException("the dialer has no project " + projectId);
        }
        if (status / 100 != 2) {
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
