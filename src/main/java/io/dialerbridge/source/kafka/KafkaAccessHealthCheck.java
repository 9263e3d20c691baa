package io.dialerbridge.source.kafka;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness: DOWN while Kafka refuses the bridge's clients (authentication, TLS or authorization), and
 * while it has not answered for {@code kafka.unreachable-after} (the broker is down or cannot be reached).
 */
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
        String down = refusal != null ? refusal : access.unreachable();
        if (down == null) {
            builder.up();
        } else {
            builder.message(down).down();
        }
    }
}
