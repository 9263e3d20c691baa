package io.dialerbridge.source.kafka;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a Kafka listener expects of its clients, found when the bridge's clients get no answer at all:
 * a client whose security protocol does not match the listener's is not refused with an error, its
 * connections are just dropped, again and again. This sends one SASL handshake request over a plain
 * TCP connection (no credentials: it names the mechanism PLAIN and closes the connection after the
 * answer) and reads what comes back:
 * <ul>
 *   <li>the list of SASL mechanisms: the listener wants SASL without TLS ({@code SASL_PLAINTEXT});</li>
 *   <li>"illegal SASL state": the listener is {@code PLAINTEXT};</li>
 *   <li>no Kafka answer (the connection closed, or bytes that are not a Kafka answer, such as a TLS
 *       alert): the listener most likely wants TLS ({@code SSL} or {@code SASL_SSL}).</li>
 * </ul>
 * {@link #mismatch} compares that with the bridge's settings and says what to change.
 */
public final class ListenerCheck {

    /** What a listener answered to a plaintext SASL handshake request. */
    public sealed interface Spoken permits Plaintext, Sasl, NotPlaintext, NoAnswer {
    }

    /** A plaintext Kafka listener without SASL. */
    public record Plaintext() implements Spoken {
    }

    /** A plaintext Kafka listener that wants SASL with one of these mechanisms. */
    public record Sasl(List<String> mechanisms) implements Spoken {
    }

    /** A listener that does not speak plaintext Kafka (most likely TLS). */
    public record NotPlaintext() implements Spoken {
    }

    /** Nothing to conclude: no connection, or no answer in time. */
    public record NoAnswer(String why) implements Spoken {
    }

    private static final short SASL_HANDSHAKE = 17;
    private static final short ILLEGAL_SASL_STATE = 34;
    private static final int MAX_ANSWER = 64 * 1024;

    private ListenerCheck() {
    }

    /** Asks the listener at {@code host:port} (one of bootstrap.servers) what it speaks. */
    public static Spoken ask(String hostPort, Duration timeout) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new NoAnswer("no port in " + hostPort);
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            return new NoAnswer("no port in " + hostPort);
        }
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host.trim(), port), (int) timeout.toMillis());
            } catch (IOException e) {
                return new NoAnswer("cannot connect to " + hostPort + ": " + e.getMessage());
            }
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(saslHandshakeRequest());
            out.flush();
            return answer(new DataInputStream(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            return new NoAnswer("no answer from " + hostPort + " within " + timeout.toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            // connected, then closed or reset, or bytes that are not a Kafka answer
            return new NotPlaintext();
        }
    }

    /**
     * Why a listener that speaks {@code spoken} cannot admit a client with this {@code security.protocol}
     * and {@code sasl.mechanism}, and what to set instead; empty when they match (or nothing is known).
     */
    public static Optional<String> mismatch(Spoken spoken, String securityProtocol, String saslMechanism) {
        String protocol = securityProtocol == null ? "PLAINTEXT" : securityProtocol.trim().toUpperCase(Locale.ROOT);
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        boolean sasl = protocol.startsWith("SASL_");
        String now = " but the bridge's camel.component.kafka.security-protocol is " + protocol;
        if (spoken instanceof Sasl offered) {
            String mechanisms = String.join(", ", offered.mechanisms());
            if (!sasl || tls) {
                return Optional.of("the broker's listener wants SASL authentication without TLS (mechanisms "
                        + mechanisms + ")" + now + ": set security-protocol SASL_PLAINTEXT, sasl-mechanism (one of "
                        + mechanisms + ") and sasl-jaas-config");
            }
            if (saslMechanism != null && !offered.mechanisms().contains(saslMechanism.trim())) {
                return Optional.of("the broker's listener offers the SASL mechanisms " + mechanisms
                        + " but the bridge's camel.component.kafka.sasl-mechanism is " + saslMechanism.trim()
                        + ": set sasl-mechanism (and sasl-jaas-config) to one of them");
            }
            return Optional.empty();
        }
        if (spoken instanceof Plaintext && !protocol.equals("PLAINTEXT")) {
            return Optional.of("the broker's listener takes plaintext clients without SASL" + now
                    + ": set security-protocol PLAINTEXT, or point kafka.bootstrap-servers at the broker's secured listener");
        }
        if (spoken instanceof NotPlaintext && !tls) {
            return Optional.of("the broker's listener does not speak plaintext Kafka, most likely it wants TLS" + now
                    + ": set security-protocol SSL (or SASL_SSL with sasl-mechanism and sasl-jaas-config), and "
                    + "ssl-truststore-location if the broker's certificate is not signed by a public CA");
        }
        return Optional.empty();
    }

    private static byte[] saslHandshakeRequest() {
        byte[] clientId = "dialer-bridge-listener-check".getBytes(StandardCharsets.UTF_8);
        byte[] mechanism = "PLAIN".getBytes(StandardCharsets.UTF_8);
        // request header v1 (api key, version, correlation id, client id), then the v1 body (mechanism)
        int size = 2 + 2 + 4 + 2 + clientId.length + 2 + mechanism.length;
        ByteBuffer request = ByteBuffer.allocate(4 + size);
        request.putInt(size).putShort(SASL_HANDSHAKE).putShort((short) 1).putInt(1)
                .putShort((short) clientId.length).put(clientId)
                .putShort((short) mechanism.length).put(mechanism);
        return request.array();
    }

    private static Spoken answer(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 10 || size > MAX_ANSWER) {
            return new NotPlaintext();
        }
        byte[] body = new byte[size];
        in.readFully(body);
        ByteBuffer answer = ByteBuffer.wrap(body);
        if (answer.getInt() != 1) {
            return new NotPlaintext();
        }
        short error = answer.getShort();
        int count = answer.getInt();
        if (error == ILLEGAL_SASL_STATE) {
            return new Plaintext();
        }
        if (count < 0 || count > 64) {
            return new NotPlaintext();
        }
        List<String> mechanisms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[answer.getShort()];
            answer.get(name);
            mechanisms.add(new String(name, StandardCharsets.UTF_8));
        }
        return mechanisms.isEmpty() ? new Plaintext() : new Sasl(List.copyOf(mechanisms));
    }
}
