package io.dialerbridge.dialer.vcc;

import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerHttp;
import io.dialerbridge.policy.DialerGate;

import java.io.IOException;
import java.net.URI;

/**
 * While the gate is closed for refused credentials, asks the dialer (a harmless {@code GET /projects})
 * whether they work again, and reopens the gate when they do.
 */
public final class CredentialsProbe {

    private final DialerGate gate;
    private final DialerHttp http;
    private final URI probeUri;
    private final String authorization;

    public CredentialsProbe(DialerGate gate, DialerHttp http, String vccBaseUrl, String authorization) {
        this.gate = gate;
        this.http = http;
        this.probeUri = URI.create(vccBaseUrl + "/projects");
        this.authorization = authorization;
    }

    /** Probes only while the credentials are refused; returns whether the gate is open afterwards. */
    public boolean probeIfRefused() throws InterruptedException {
        if (!gate.isCredentialsRefused()) {
            return true;
        }
        try {
            int status = http.probe(probeUri, authorization).statusCode();
            if (AnswerClass.of(status) == AnswerClass.ACCEPTED) {
                gate.credentialsAccepted();
            }
        } catch (IOException unreachable) {
            // still closed; the next probe tries again
        }
        return !gate.isCredentialsRefused();
    }
}
