package io.dialerbridge.dialer.vcc;

import io.dialerbridge.policy.DialerGate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * While the gate is closed for refused credentials, asks the dialer (a harmless {@code GET /projects})
 * whether they work again, and reopens the gate when they do.
 */
public final class CredentialsProbe {

    private final DialerGate gate;
    private final URI probeUri;
    private final String authorization;
    private final HttpClient client;
    private final Duration timeout;

    public CredentialsProbe(DialerGate gate, String vccBaseUrl, String authorization, Duration timeout) {
        this.gate = gate;
        this.probeUri = URI.create(vccBaseUrl + "/projects");
        this.authorization = authorization;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Probes only while the credentials are refused; returns whether the gate is open afterwards. */
    public boolean probeIfRefused() throws InterruptedException {
        if (!gate.isCredentialsRefused()) {
            return true;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(probeUri).timeout(timeout)
                    .header("Authorization", authorization).GET().build();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                gate.credentialsAccepted();
            }
        } catch (IOException unreachable) {
            // still closed; the next probe tries again
        }
        return !gate.isCredentialsRefused();
    }
}
