package io.dialerbridge.dialer.vcc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic credentials for VCC Live: username = customer id, password = API token. Its
 * {@link #toString()} never shows the token.
 */
public final class VccCredentials {

    private final String customer;
    private final String header;

    public VccCredentials(String customer, String token) {
        this.customer = customer;
        this.header = "Basic " + Base64.getEncoder()
                .encodeToString((customer + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    public String authorization() {
        return header;
    }

    public String customer() {
        return customer;
    }

    @Override
    public String toString() {
        return "VccCredentials[customer=" + customer + ", token=****]";
    }
}
