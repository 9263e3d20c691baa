package io.dialerbridge.source.kafka;

import org.apache.camel.component.kafka.PollExceptionStrategy;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
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

    /** {@code probe} throws when Kafka refuses the bridge's settings (see {@link #isRefusal}). */
    public KafkaAccess(Duration pause, Runnable probe, ScheduledExecutorService scheduler) {
        this.pause = pause;
        this.probe = probe;
        this.scheduler = scheduler;
    }

    /** Whether a failure is Kafka refusing the bridge's security settings, rather than a passing fault. */
    public static boolean isRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
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
            if (cause instanceof SslAuthenticationException) {
                return "camel.component.kafka.security-protocol and the trust store (ssl-truststore-location, "
                        + "ssl-truststore-password; ssl-keystore-* for mutual TLS)";
            }
            if (cause instanceof AuthorizationException) {
                return "the ACLs of the bridge's user on its topics and group (kafka.topics.*, kafka.group-id, dead-letter.topic)";
            }
        }
        return "camel.component.kafka.security-protocol, sasl-mechanism and sasl-jaas-config";
    }
}
