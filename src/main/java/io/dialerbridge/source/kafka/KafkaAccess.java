package io.dialerbridge.source.kafka;

import org.apache.camel.component.kafka.PollExceptionStrategy;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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
 * <p>It is camel-kafka's poll exception strategy: other poll failures are logged and polled again.
 */
public final class KafkaAccess implements PollExceptionStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccess.class);

    private final Duration pause;
    private final Runnable probe;
    private final ScheduledExecutorService scheduler;
    private String refusal;
    private ScheduledFuture<?> probing;
    private ScheduledFuture<?> watching;

    /** {@code probe} throws when Kafka refuses the bridge's settings (see {@link #isRefusal}). */
    public KafkaAccess(Duration pause, Runnable probe, ScheduledExecutorService scheduler) {
        this.pause = pause;
        this.probe = probe;
        this.scheduler = scheduler;
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
     * Checks, at the pace of the pause, until Kafka first answers the probe: a client whose security
     * protocol the broker's listener does not expect gets no error from Kafka, only dropped connections,
     * so without this nothing would say why the bridge reads nothing. A refusal found here is logged
     * and probed as any other.
     */
    public synchronized void watch() {
        if (watching == null) {
            watching = scheduler.scheduleWithFixedDelay(this::check, 0, pause.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Why Kafka refuses the bridge, or null while it admits it. */
    public synchronized String refusal() {
        return refusal;
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
        try {
            probe.run();
            stopWatching();
        } catch (RuntimeException e) {
            if (isRefusal(e)) {
                stopWatching();
                refused("clients", e);
            } else {
                LOG.debug("Kafka check failed: {}", e.getMessage());
            }
        }
    }

    private synchronized void stopWatching() {
        watching.cancel(false);
    }

    private void probe() {
        try {
            probe.run();
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
