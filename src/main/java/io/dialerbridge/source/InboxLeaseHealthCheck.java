package io.dialerbridge.source;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness detail of a shared folder: whether this daemon is the active one (it holds the inbox
 * lease) or stands by, and how often it took over. UP either way: a standby is ready to take over.
 */
public final class InboxLeaseHealthCheck extends AbstractHealthCheck {

    private final InboxLease lease;

    public InboxLeaseHealthCheck(InboxLease lease) {
        super("dialer-bridge", "inbox-lease");
        this.lease = lease;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        boolean active = lease.isActive();
        builder.detail("shared", lease.isShared());
        builder.detail("active", active);
        builder.detail("take.overs", lease.takeOvers());
        if (lease.activeSince() != null) {
            builder.detail("active.since", lease.activeSince().toString());
        }
        // the health endpoint shows the message, not the details
        builder.message((active ? "active: this daemon consumes the inbox" : "standby: another daemon holds the inbox lease")
                + " (take-overs: " + lease.takeOvers() + ")").up();
    }
}
