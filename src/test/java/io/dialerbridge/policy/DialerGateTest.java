package io.dialerbridge.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class DialerGateTest {

    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

    private final DialerGate gate = new DialerGate(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(300));

    @Test
    void a_retry_after_in_seconds_pauses_only_that_project() {
        gate.answered("22", 429, "120");

        assertThat(gate.pauseLeft("22")).isEqualTo(Duration.ofSeconds(120));
        assertThat(gate.pauseLeft("23")).isZero();
        assertThat(gate.isCredentialsRefused()).isFalse();
        assertThat(gate.cappedRetryAfters()).isZero();
    }

    @Test
    void a_retry_after_as_an_http_date_pauses_until_that_date() {
        String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atZone(ZoneOffset.UTC));

        gate.answered("22", 503, inNinetySeconds);

        assertThat(gate.pauseLeft("22")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void a_retry_after_date_in_the_past_or_negative_seconds_do_not_pause() {
        gate.answered("22", 503, DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(60).atZone(ZoneOffset.UTC)));
        gate.answered("22", 429, "-5");

        assertThat(gate.pauseLeft("22")).isZero();
    }

    @Test
    void an_unreadable_retry_after_is_ignored() {
        gate.answered("22", 429, "soon");
        gate.answered("22", 503, "Wednesday, about noon");
        gate.answered("22", 429, "  ");

        assertThat(gate.pauseLeft("22")).isZero();
        assertThat(gate.isCredentialsRefused()).isFalse();
        assertThat(gate.cappedRetryAfters()).isZero();
    }

    @Test
    void only_429_and_503_answers_pause_for_their_retry_after() {
        gate.answered("22", 500, "60");
        gate.answered("22", 200, "60");
        gate.answered("22", 408, "60");

        assertThat(gate.pauseLeft("22")).isZero();
    }

    @Test
    void a_retry_after_beyond_the_maximum_is_capped_and_counted() {
        gate.answered("22", 429, "3600");

        assertThat(gate.pauseLeft("22")).isEqualTo(Duration.ofSeconds(300));
        assertThat(gate.cappedRetryAfters()).isEqualTo(1);

        gate.answered("23", 429, "300");
        assertThat(gate.cappedRetryAfters()).as("exactly the maximum is not capped").isEqualTo(1);
    }

    @Test
    void the_later_of_two_pauses_stands() {
        gate.answered("22", 429, "120");
        gate.answered("22", 429, "30");

        assertThat(gate.pauseLeft("22")).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void refused_credentials_close_the_gate_for_every_project_until_a_probe_reopens_it() throws Exception {
        DialerGate open = new DialerGate(Clock.systemUTC(), Duration.ofSeconds(300));
        open.answered("22", 401, null);
        assertThat(open.isCredentialsRefused()).isTrue();

        CompletableFuture<Void> project22 = CompletableFuture.runAsync(() -> awaitOpen(open, "22"));
        CompletableFuture<Void> project23 = CompletableFuture.runAsync(() -> awaitOpen(open, "23"));
        await("senders of both projects wait at the gate").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !project22.isDone() && !project23.isDone());

        open.credentialsAccepted();

        project22.get(5, TimeUnit.SECONDS);
        project23.get(5, TimeUnit.SECONDS);
        assertThat(open.isCredentialsRefused()).isFalse();
    }

    @Test
    void on_shutdown_senders_waiting_at_a_closed_gate_give_up_at_once_and_an_open_gate_still_lets_requests_through() throws Exception {
        DialerGate refused = new DialerGate(Clock.systemUTC(), Duration.ofSeconds(300));
        refused.answered("22", 401, null);
        DialerGate paused = new DialerGate(Clock.systemUTC(), Duration.ofSeconds(300));
        paused.answered("22", 429, "120");
        CompletableFuture<Void> waitingForCredentials = CompletableFuture.runAsync(() -> awaitOpen(refused, "22"));
        CompletableFuture<Void> waitingForRetryAfter = CompletableFuture.runAsync(() -> awaitOpen(paused, "22"));
        await("senders wait at the gates").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !waitingForCredentials.isDone() && !waitingForRetryAfter.isDone());

        refused.stopWaiting();
        paused.stopWaiting();

        for (CompletableFuture<Void> waiting : java.util.List.of(waitingForCredentials, waitingForRetryAfter)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DialerGate.ShuttingDown.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> refused.awaitOpen("23"))
                .isInstanceOf(DialerGate.ShuttingDown.class).hasMessageContaining("refused the credentials");
        paused.awaitOpen("23"); // not paused: goes at once, even while stopping
    }

    @Test
    void a_403_closes_the_gate_as_a_401_does() {
        gate.answered("22", 403, null);

        assertThat(gate.isCredentialsRefused()).isTrue();
        gate.credentialsAccepted();
        assertThat(gate.isCredentialsRefused()).isFalse();
    }

    private static void awaitOpen(DialerGate gate, String projectId) {
        try {
            gate.awaitOpen(projectId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
