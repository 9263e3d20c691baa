package io.dialerbridge.source.kafka;

import org.apache.camel.component.kafka.PollExceptionStrategy;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether Kafka admits the bridge's clients (consumer, producer of dead letters and published files),
 * which all take the kafka component's security settings. When Kafka refuses them (authentication, TLS
 * or authorization), this logs one line naming the cause and the settings to check, readiness goes
 * DOWN ({@link KafkaAccessHealthCheck}), the consumer waits {@code kafka.refused-pause} between two
 * polls, and a probe (an admin call with the same settings) runs at that pace until Kafka admits the
 * bridge again, which is logged once too.
 *
 * <p>Whether Kafka answers at all: from {@link #watch} on, the probe runs at the pace of the pause for as
 * long as the bridge runs; once no probe has had an answer for {@code kafka.unreachable-after} (the broker
 * is down, or cannot be reached), readiness goes DOWN saying so and since when, and UP again at the next
 * answer. A client of Kafka does not fail while the broker is away (it reconnects, and a poll brings
 * nothing), so without the probe nothing would say it.
 *
 * <p>It is camel-kafka's poll exception strategy: other poll failures are logged and polled again.
 */
public final class KafkaAccess implements PollExceptionStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccess.class);

    private final Duration pause;
    private final Runnable probe;
    private final ScheduledExecutorService scheduler;
    private final String servers;
    private final Duration unreachableAfter;
    private final Clock clock;
    private String refusal;
    private ScheduledFuture<?> probing;
    private ScheduledFuture<?> watching;
    /** When Kafka last answered a probe (or the watch started), in ms; what the last probe failed with. */
    private long lastAnswer;
    private String lastFailure;
    private boolean saidUnreachable;

    /**
     * {@code probe} throws when Kafka refuses the bridge's settings (see {@link #isRefusal}) or does not
     * answer; {@code servers} names the brokers in messages ({@code kafka.bootstrap-servers}), and Kafka
     * counts as unreachable once no probe had an answer for {@code unreachableAfter}.
     */
    public KafkaAccess(Duration pause, Runnable probe, ScheduledExecutorService scheduler, String servers,
                       Duration unreachableAfter, Clock clock) {
        this.pause = pause;
        this.probe = probe;
        this.scheduler = scheduler;
        this.servers = servers;
        this.unreachableAfter = unreachableAfter;
        this.clock = clock;
    }

    /** Whether a failure is Kafka refusing the bridge's security settings, rather than a passing fault. */
    public static boolean isRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    || cause instanceof ListenerMismatchException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks, at the pace of the pause, for as long as the bridge runs: whether Kafka answers at all
     * ({@link #unreachable}), and why it does not when it first does not (a client whose security protocol
     * the broker's listener does not expect gets no error from Kafka, only dropped connections, so without
     * this nothing would say why the bridge reads nothing). A refusal found here is logged and probed as
     * any other.
     */
    public synchronized void watch() {
        if (watching == null) {
            lastAnswer = clock.millis();
            watching = scheduler.scheduleWithFixedDelay(this::check, 0, pause.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Why Kafka refuses the bridge, or null while it admits it. */
    public synchronized String refusal() {
        return refusal;
    }

    /**
     * Why Kafka counts as unreachable (no probe had an answer for {@code kafka.unreachable-after}), or null
     * while it answers, or before {@link #watch}.
     */
    public synchronized String unreachable() {
        if (watching == null) {
            return null;
        }
        long silent = clock.millis() - lastAnswer;
        if (silent < unreachableAfter.toMillis()) {
            return null;
        }
        return "Kafka (" + servers + ") has not answered for " + silent / 1000 + " s (since "
                + Instant.ofEpochMilli(lastAnswer) + ")" + (lastFailure == null ? "" : ": " + lastFailure)
                + "; checking again every " + pause.toMillis() + " ms";
    }

    /** Kafka refused one of the bridge's clients: the first refusal is logged, and probing starts. */
    public synchronized void refused(String client, Throwable failure) {
        if (refusal != null) {
            return;
        }
        refusal = "Kafka refuses the bridge's " + client + ": " + reason(failure) + ". Check "
                + settingsToCheck(failure) + " (CAMEL_COMPONENT_KAFKA_* in the environment); trying again every "
                + pause.toMillis() + " ms";
        LOG.error(refusal);
        probing = scheduler.scheduleWithFixedDelay(this::probe, pause.toMillis(), pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kafka took a request of the bridge's clients: a refusal is over. */
    public synchronized void admitted() {
        if (refusal == null) {
            return;
        }
        refusal = null;
        probing.cancel(false);
        LOG.info("Kafka admits the bridge again");
        notifyAll();
    }

    @Override
    public void handle(long partitionLastOffset, Exception failure) {
        if (!isRefusal(failure)) {
            LOG.warn("Polling Kafka failed ({}); polling again", failure.getMessage());
            return;
        }
        refused("consumer", failure);
        awaitPause();
    }

    /** Always: the consumer keeps polling, after a pause while Kafka refuses it. */
    @Override
    public boolean canContinue() {
        return true;
    }

    /** Stops probing, and lets a consumer waiting out a pause go on (to stop). */
    public synchronized void close() {
        if (probing != null) {
            probing.cancel(false);
        }
        if (watching != null) {
            watching.cancel(false);
        }
        notifyAll();
    }

    private synchronized void awaitPause() {
        if (refusal == null) {
            return;
        }
        try {
            wait(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check() {
        if (refusal() != null) {
            return; // probed at the same pace by probe(), which counts its answers too
        }
        try {
            probe.run();
            answered();
        } catch (RuntimeException e) {
            if (isRefusal(e)) {
                answered(); // a refusal is an answer: readiness says so as a refusal
                refused("clients", e);
            } else {
                notAnswered(e);
            }
        }
    }

    private synchronized void answered() {
        lastAnswer = clock.millis();
        lastFailure = null;
        if (saidUnreachable) {
            saidUnreachable = false;
            LOG.info("Kafka ({}) answers again", servers);
        }
    }

    private void notAnswered(RuntimeException failure) {
        LOG.debug("Kafka check failed: {}", failure.getMessage());
        String message;
        synchronized (this) {
            lastFailure = failure.getMessage();
            message = saidUnreachable ? null : unreachable();
            saidUnreachable |= message != null;
        }
        if (message != null) {
            LOG.warn(message);
        }
    }

    private void probe() {
        try {
            probe.run();
            answered();
            admitted();
        } catch (RuntimeException e) {
            if (!isRefusal(e)) {
                LOG.debug("Kafka probe failed: {}", e.getMessage());
            }
        }
    }

    private static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ListenerMismatchException) {
                return cause.getMessage();
            }
            if (cause instanceof IllegalSaslStateException) {
                return "the broker's listener does not take SASL (" + cause.getMessage() + ")";
            }
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                String kind = cause instanceof SslAuthenticationException ? "TLS handshake failed"
                        : cause instanceof AuthenticationException ? "authentication failed" : "not authorized";
                return kind + " (" + cause.getMessage() + ")";
            }
        }
        return failure.getMessage();
    }

    private static String settingsToCheck(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ListenerMismatchException) {
                return "camel.component.kafka.security-protocol";
            }
            if (cause instanceof IllegalSaslStateException) {
                return "camel.component.kafka.security-protocol (PLAINTEXT or SSL for a listener without SASL), "
                        + "or kafka.bootstrap-servers (the broker's SASL listener)";
            }
            if (cause instanceof SslAuthenticationException) {
                return tlsSettingsToCheck(failure);
            }
            if (cause instanceof AuthorizationException) {
                return "the ACLs of the bridge's user on its topics and group (kafka.topics.*, kafka.group-id, dead-letter.topic)";
            }
        }
        return "camel.component.kafka.security-protocol, sasl-mechanism and sasl-jaas-config";
    }

    /** The TLS settings to check, from what the handshake failure says. */
    private static String tlsSettingsToCheck(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(' ').append(cause.getMessage());
        }
        String all = messages.toString();
        if (all.contains("PKIX") || all.contains("certification path")) {
            return "the trust store: the broker's certificate is not signed by a CA the bridge trusts "
                    + "(camel.component.kafka.ssl-truststore-location, ssl-truststore-password, ssl-truststore-type)";
        }
        if (all.contains("subject alternative") || all.contains("No name matching")) {
            return "kafka.bootstrap-servers: the broker's certificate does not name the host the bridge connects to "
                    + "(host name verification stays on: camel.component.kafka.ssl-endpoint-identification-algorithm=https)";
        }
        if (all.contains("bad_certificate") || all.contains("certificate_required") || all.contains("certificate_unknown")
                || all.contains("Empty client certificate chain")) {
            return "the key store: the broker wants a client certificate it trusts (mutual TLS: "
                    + "camel.component.kafka.ssl-keystore-location, ssl-keystore-password, ssl-keystore-type, ssl-key-password)";
        }
        return "camel.component.kafka.security-protocol, the trust store (ssl-truststore-location, "
                + "ssl-truststore-password) and, for mutual TLS, the key store (ssl-keystore-*)";
    }
}
