package io.dialerbridge.dialer.genesys;

import io.dialerbridge.dialer.DialerAnswerException;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
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
 * server no longer knows it; every successful handshake subscribes again, and no UpdateRecord is sent while the
 * subscription is not in place. Messages are matched to the element by {@code referenceId}; one nobody awaits
 * (a duplicate, a late one) is ignored. The session starts with the first UpdateRecord.
 */
public final class GenesysAcknowledgements implements AutoCloseable {

    /** An acknowledgement, or the error event, Genesys sent for one referenceId. */
    public record Acknowledgement(boolean acknowledged, Integer errorCode, String errorMessage) {
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
            answer.complete(new Acknowledgement(true, null, null));
        } else if ("ErrorMessage".equals(data.get("messageType"))) {
            Object code = data.get("errorCode");
            answer.complete(new Acknowledgement(false, code instanceof Number n ? n.intValue() : null,
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
        });
        client.setBackOffStrategy(new BayeuxClient.BackOffStrategy.Linear(500, 5_000));
        client.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener) (channel, reply) -> {
            if (reply.isSuccessful()) {
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

    private synchronized void subscribedNow() {
        LOG.info("Subscribed to Genesys {} at {}", CHANNEL, url);
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
