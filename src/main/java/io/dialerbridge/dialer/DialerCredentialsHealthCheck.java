package io.dialerbridge.dialer;

import io.dialerbridge.policy.DialerGate;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness: DOWN while the dialer refuses the credentials (sending is paused). */
public final class DialerCredentialsHealthCheck extends AbstractHealthCheck {

    private final DialerGate gate;

    public DialerCredentialsHealthCheck(DialerGate gate) {
        super("dialer-bridge", "dialer-credentials");
        this.gate = gate;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("capped.retry.after", gate.cappedRetryAfters());
        if (gate.isCredentialsRefused()) {
            builder.message("the dialer refuses the credentials; sending is paused").down();
        } else {
            builder.up();
        }
    }
}
