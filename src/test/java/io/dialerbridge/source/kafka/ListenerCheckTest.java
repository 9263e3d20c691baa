package io.dialerbridge.source.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The listener check against local sockets that answer as a SASL listener, a TLS listener and nobody. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ListenerCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Test
    void a_listener_answering_with_mechanisms_wants_sasl() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> broker = CompletableFuture.runAsync(() -> answerHandshake(server, (short) 33,
                    List.of("SCRAM-SHA-512", "OAUTHBEARER")));
            ListenerCheck.Spoken spoken = ListenerCheck.ask("127.0.0.1:" + server.getLocalPort(), TIMEOUT);
            broker.join();
            assertThat(spoken).isEqualTo(new ListenerCheck.Sasl(List.of("SCRAM-SHA-512", "OAUTHBEARER")));
        }
    }

    @Test
    void a_listener_answering_illegal_sasl_state_is_plaintext() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> broker = CompletableFuture.runAsync(() -> answerHandshake(server, (short) 34, List.of()));
            assertThat(ListenerCheck.ask("127.0.0.1:" + server.getLocalPort(), TIMEOUT)).isInstanceOf(ListenerCheck.Plaintext.class);
            broker.join();
        }
    }

    @Test
    void a_listener_answering_with_a_tls_alert_does_not_speak_plaintext_kafka() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> broker = CompletableFuture.runAsync(() -> {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a}); // fatal alert
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(ListenerCheck.ask("127.0.0.1:" + server.getLocalPort(), TIMEOUT)).isInstanceOf(ListenerCheck.NotPlaintext.class);
            broker.join();
        }
    }

    @Test
    void nothing_listening_is_no_answer() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0)) {
            port = server.getLocalPort();
        }
        assertThat(ListenerCheck.ask("127.0.0.1:" + port, TIMEOUT)).isInstanceOf(ListenerCheck.NoAnswer.class);
        assertThat(ListenerCheck.ask("no-port", TIMEOUT)).isInstanceOf(ListenerCheck.NoAnswer.class);
    }

    @Test
    void a_mismatch_names_the_setting_and_what_to_set() {
        ListenerCheck.Sasl sasl = new ListenerCheck.Sasl(List.of("PLAIN", "SCRAM-SHA-512"));
        assertThat(ListenerCheck.mismatch(sasl, null, null)).hasValueSatisfying(m -> assertThat(m)
                .contains("wants SASL").contains("security-protocol is PLAINTEXT").contains("SASL_PLAINTEXT"));
        assertThat(ListenerCheck.mismatch(sasl, "SASL_SSL", "PLAIN")).hasValueSatisfying(m -> assertThat(m)
                .contains("without TLS").contains("security-protocol is SASL_SSL"));
        assertThat(ListenerCheck.mismatch(sasl, "SASL_PLAINTEXT", "SCRAM-SHA-256")).hasValueSatisfying(m -> assertThat(m)
                .contains("sasl-mechanism is SCRAM-SHA-256").contains("PLAIN, SCRAM-SHA-512"));
        assertThat(ListenerCheck.mismatch(sasl, "sasl_plaintext", "PLAIN")).isEmpty();

        assertThat(ListenerCheck.mismatch(new ListenerCheck.Plaintext(), "SASL_PLAINTEXT", "PLAIN"))
                .hasValueSatisfying(m -> assertThat(m).contains("without SASL"));
        assertThat(ListenerCheck.mismatch(new ListenerCheck.Plaintext(), "PLAINTEXT", null)).isEmpty();

        assertThat(ListenerCheck.mismatch(new ListenerCheck.NotPlaintext(), "PLAINTEXT", null))
                .hasValueSatisfying(m -> assertThat(m).contains("wants TLS").contains("security-protocol SSL"));
        assertThat(ListenerCheck.mismatch(new ListenerCheck.NotPlaintext(), "SSL", null)).isEmpty();
        assertThat(ListenerCheck.mismatch(new ListenerCheck.NoAnswer("down"), "PLAINTEXT", null)).isEmpty();
    }

    /** Reads one SASL handshake request (v1, mechanism PLAIN) and answers it as a broker would. */
    private static void answerHandshake(ServerSocket server, short error, List<String> mechanisms) {
        try (Socket client = server.accept()) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] request = new byte[in.readInt()];
            in.readFully(request);
            assertThat(request[1]).as("api key SaslHandshake").isEqualTo((byte) 17);
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            int size = 4 + 2 + 4 + mechanisms.stream().mapToInt(m -> 2 + m.length()).sum();
            out.writeInt(size);
            out.writeInt(1); // correlation id
            out.writeShort(error);
            out.writeInt(mechanisms.size());
            for (String mechanism : mechanisms) {
                out.writeShort(mechanism.length());
                out.writeBytes(mechanism);
            }
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
