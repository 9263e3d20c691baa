package io.dialerbridge.dialer;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Readiness: DOWN while a dialer does not answer (see {@link DialerReachability}); UP again when it does. */
public final class DialerReachabilityHealthCheck extends AbstractHealthCheck {

    private final DialerReachability reachability;

    public DialerReachabilityHealthCheck(DialerReachability reachability) {
        super("dialer-bridge", "dialer-reachable");
        this.reachability = reachability;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<DialerReachability.State> down = reachability.unreachable();
        reachability.states().values().forEach(state -> builder.detail(state.name() + ".reachable", state.reachable()));
        if (down.isEmpty()) {
            builder.message("every dialer answers").up();
        } else {
            // the health endpoint shows the message: which dialer, where, since when and why
            builder.message(down.stream().map(state -> "the dialer " + state.name() + " at " + state.address()
                            + " cannot be reached since " + state.since() + " (" + state.cause() + ")")
                    .collect(Collectors.joining("; ")) + "; sending waits and retries").down();
        }
    }
}
