package io.dialerbridge.source.kafka;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness: DOWN while Kafka refuses the bridge's clients (authentication, TLS or authorization). */
public final class KafkaAccessHealthCheck extends AbstractHealthCheck {

    private final KafkaAccess access;

    public KafkaAccessHealthCheck(KafkaAccess access) {
        super("dialer-bridge", "kafka-access");
        this.access = access;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String refusal = access.refusal();
        if (refusal == null) {
            builder.up();
        } else {
            builder.message(refusal).down();
        }
    }
}
