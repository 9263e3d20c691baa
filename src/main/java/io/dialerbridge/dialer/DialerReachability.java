package io.dialerbridge.dialer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether each dialer the bridge sends to answers at all: route probe-dialer asks it every
 * {@code management.dialer-probe-interval} ms ({@link #probe}); readiness
 * ({@link DialerReachabilityHealthCheck}) and the status page read the last answer. A dialer is
 * unreachable while the probe gets no answer (connection refused, reset, timed out) or a 5xx (a
 * gateway or the dialer itself is down); any other answer, even 401, means it is there (refused
 * credentials have their own readiness check). One log line when a dialer goes away, one when it is back.
 */
public final class DialerReachability {

    private static final Logger LOG = LoggerFactory.getLogger(DialerReachability.class);

    /** A dialer to probe: its name, the address shown (scheme, host and port only), and how to ask it. */
    public record Target(String name, URI probeUri, String authorization) {
        public String address() {
            return probeUri.getScheme() + "://" + probeUri.getHost() + (probeUri.getPort() < 0 ? "" : ":" + probeUri.getPort());
        }
    }

    /** The last probe of a dialer: reachable or not, since when, and why not (no credentials, no URL path). */
    public record State(String name, String address, boolean reachable, Instant since, String cause) {
    }

    private final DialerHttp http;
    private final Clock clock;
    private final List<Target> targets;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public DialerReachability(DialerHttp http, Clock clock, List<Target> targets) {
        this.http = http;
        this.clock = clock;
        this.targets = List.copyOf(targets);
    }

    /** Asks every dialer once; a dialer not probed yet counts as reachable. */
    public void probe() throws InterruptedException {
        for (Target target : targets) {
            String cause;
            try {
                int status = http.probe(target.probeUri(), target.authorization()).statusCode();
                cause = status >= 500 ? "it answered HTTP " + status : null;
            } catch (IOException e) {
                cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            record(target, cause);
        }
    }

    private void record(Target target, String cause) {
        boolean reachable = cause == null;
        State before = states.get(target.name());
        if (before != null && before.reachable() == reachable) {
            if (!reachable && !cause.equals(before.cause())) {
                states.put(target.name(), new State(target.name(), target.address(), false, before.since(), cause));
            }
            return;
        }
        states.put(target.name(), new State(target.name(), target.address(), reachable, clock.instant(), cause));
        if (!reachable) {
            LOG.warn("the dialer {} at {} cannot be reached ({}): readiness is DOWN until it answers again",
                    target.name(), target.address(), cause);
        } else if (before != null) {
            LOG.info("the dialer {} at {} answers again: readiness is UP", target.name(), target.address());
        }
    }

    /** The dialers that did not answer the last probe. */
    public List<State> unreachable() {
        List<State> down = new ArrayList<>();
        for (State state : states().values()) {
            if (!state.reachable()) {
                down.add(state);
            }
        }
        return down;
    }

    /** Every dialer by name, in probe order; one not probed yet shows as reachable since now. */
    public Map<String, State> states() {
        Map<String, State> all = new LinkedHashMap<>();
        for (Target target : targets) {
            all.put(target.name(), states.getOrDefault(target.name(),
                    new State(target.name(), target.address(), true, null, null)));
        }
        return all;
    }
}
