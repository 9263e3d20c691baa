package io.dialerbridge.dialer.genesys;

import io.dialerbridge.dialer.DialerAnswerException;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The acknowledgements Genesys Web Services sends over CometD for UpdateRecord requests: a Bayeux long-polling
 * session at {@code /api/v2/notifications} (the CometD Java client) on the login of the {@link GenesysSession}
 * (its cookie and CSRF token on every Bayeux request; a 401/403 renews the login), subscribed to
 * {@code /v2/me/outbound}. The client reconnects as the server's {@code advice} says and handshakes again when the
 * server no longer knows it (not when only the login was stale: then it connects again on the new login); every
 * successful handshake subscribes again, no UpdateRecord is sent while the subscription is not in place, and the
 * elements awaited across a new handshake are told so ({@link Acknowledgement#renewed()}) to be sent again. Messages are matched to the element by {@code referenceId}; one nobody awaits
 * (a duplicate, a late one) is ignored. The session starts with the first UpdateRecord.
 */
public final class GenesysAcknowledgements implements AutoCloseable {

    /**
     * What came for one referenceId: the acknowledgement, the error event, or word that the CometD session was
     * renewed before either arrived ({@code renewed}: what the old session had queued is lost, send again).
     */
    public record Acknowledgement(boolean acknowledged, Integer errorCode, String errorMessage, boolean renewed) {
        static final Acknowledgement ACKNOWLEDGED = new Acknowledgement(true, null, null, false);
        static final Acknowledgement RENEWED = new Acknowledgement(false, null, null, true);

        static Acknowledgement error(Integer errorCode, String errorMessage) {
            return new Acknowledgement(false, errorCode, errorMessage, false);
        }
    }

    static final String CHANNEL = "/v2/me/outbound";
    static final String ACKNOWLEDGE = "UpdateCallCompletionStatsAcknowledge";

    private static final Logger LOG = LoggerFactory.getLogger(GenesysAcknowledgements.class);

    private final String url;
    private final GenesysSession session;
    private final Duration timeout;
    private final Map<String, CompletableFuture<Acknowledgement>> awaited = new ConcurrentHashMap<>();
    private final ClientSessionChannel.MessageListener onOutbound = (channel, message) -> received(message);

    private HttpClient httpClient; // guarded by this
    private BayeuxClient client; // guarded by this
    private CompletableFuture<Void> subscribed = new CompletableFuture<>(); // guarded by this
    private volatile boolean loginRefused; // a Bayeux request was refused for a stale login

    public GenesysAcknowledgements(String baseUrl, GenesysSession session, Duration timeout) {
        this.url = (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + "/api/v2/notifications";
        this.session = session;
        this.timeout = timeout;
    }

    /**
     * Before an UpdateRecord: makes sure the subscription is in place (starting the CometD session on first use) and
     * awaits {@code referenceId}. A subscription not in place within the timeout is a transient failure.
     */
    public void expect(String referenceId) {
        CompletableFuture<Void> ready = subscription();
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new DialerAnswerException.Transient("no CometD subscription to " + CHANNEL + " at " + url + " within "
                    + timeout.toMillis() + " ms", 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DialerAnswerException.Transient("interrupted while subscribing to " + CHANNEL, 0, null);
        }
        awaited.put(referenceId, new CompletableFuture<>());
    }

    /** Waits for what Genesys sends for {@code referenceId}; null when nothing came within the timeout. */
    public Acknowledgement await(String referenceId) {
        CompletableFuture<Acknowledgement> answer = awaited.get(referenceId);
        try {
            return answer == null ? null : answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            awaited.remove(referenceId);
        }
    }

    /** Stops awaiting {@code referenceId} (the HTTP answer already decided the element). */
    public void forget(String referenceId) {
        awaited.remove(referenceId);
    }

    public Duration timeout() {
        return timeout;
    }

    private void received(Message message) {
        Map<String, Object> data = message.getDataAsMap();
        Object referenceId = data == null ? null : data.get("referenceId");
        CompletableFuture<Acknowledgement> answer = referenceId == null ? null : awaited.get(referenceId.toString());
        if (answer == null) {
            LOG.debug("Genesys message for no awaited referenceId (duplicate or late): {}", referenceId);
            return;
        }
        if (ACKNOWLEDGE.equals(data.get("notificationType"))) {
            answer.complete(Acknowledgement.ACKNOWLEDGED);
        } else if ("ErrorMessage".equals(data.get("messageType"))) {
            Object code = data.get("errorCode");
            answer.complete(Acknowledgement.error(code instanceof Number n ? n.intValue() : null,
                    String.valueOf(data.getOrDefault("errorMessage", ""))));
        }
    }

    private synchronized CompletableFuture<Void> subscription() {
        if (client == null) {
            start();
        }
        return subscribed;
    }

    private void start() {
        httpClient = new HttpClient();
        try {
            httpClient.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the CometD HTTP client", e);
        }
        client = new BayeuxClient(url, new JettyHttpClientTransport(new HashMap<>(), httpClient) {
            @Override
            protected void customize(Request request) {
                sign(request);
            }
        }) {
            @Override
            protected void onTransportFailure(Message message, ClientTransport.FailureInfo failure,
                                              ClientTransport.FailureHandler handler) {
                if (Channel.META_CONNECT.equals(message.getChannel()) && loginRefused) {
                    // only the login was stale: the server still knows the client and holds its messages
                    loginRefused = false;
                    failure.action = Message.RECONNECT_RETRY_VALUE;
                }
                super.onTransportFailure(message, failure, handler);
            }
        };
        client.setBackOffStrategy(new BayeuxClient.BackOffStrategy.Linear(500, 5_000));
        client.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener) (channel, reply) -> {
            if (reply.isSuccessful()) {
                unsubscribedNow();
                client.getChannel(CHANNEL).subscribe(onOutbound, subscribeReply -> {
                    if (subscribeReply.isSuccessful()) {
                        subscribedNow();
                    }
                });
            }
        });
        client.getChannel(Channel.META_CONNECT).addListener((ClientSessionChannel.MessageListener) (channel, reply) -> {
            if (!reply.isSuccessful() && "handshake".equals(reconnectAdvice(reply))) {
                LOG.info("Genesys no longer knows the CometD client: handshaking and subscribing again");
                unsubscribedNow();
            }
        });
        client.handshake();
    }

    private static Object reconnectAdvice(Message reply) {
        Map<String, Object> advice = reply.getAdvice();
        return advice == null ? null : advice.get(Message.RECONNECT_FIELD);
    }

    /** Whatever was awaited before this subscription may have been queued for a client the server no longer has. */
    private synchronized void subscribedNow() {
        LOG.info("Subscribed to Genesys {} at {}", CHANNEL, url);
        awaited.values().forEach(answer -> answer.complete(Acknowledgement.RENEWED));
        subscribed.complete(null);
    }

    private synchronized void unsubscribedNow() {
        if (subscribed.isDone()) {
            subscribed = new CompletableFuture<>();
        }
    }

    private void sign(Request request) {
        GenesysSession.Ticket ticket;
        try {
            ticket = session.ticket();
        } catch (IOException | DialerAnswerException e) {
            LOG.warn("Genesys login for CometD failed: {}", e.getMessage());
            return; // sent unsigned: refused, and tried again after the back-off
        }
        request.headers(h -> h.put("Cookie", ticket.cookie()).put(ticket.csrfHeader(), ticket.csrfToken()));
        request.onResponseBegin(response -> {
            if (response.getStatus() == 401 || response.getStatus() == 403) {
                loginRefused = true;
                session.invalidate(ticket.generation());
            }
        });
    }

    @Override
    public void close() throws Exception {
        BayeuxClient started;
        HttpClient startedHttp;
        synchronized (this) { // not held while stopping: the client's listeners take this lock
            started = client;
            startedHttp = httpClient;
        }
        if (started != null) {
            started.disconnect(1_000);
            startedHttp.stop();
        }
    }

    @Override
    public String toString() {
        return "GenesysAcknowledgements[" + url + ", timeout=" + timeout + "]";
    }
}
