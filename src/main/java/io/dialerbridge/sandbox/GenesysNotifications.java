package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Bayeux long-polling server of the sandbox's Genesys Web Services at {@code /api/v2/notifications} (also with
 * the message type appended, {@code /api/v2/notifications/connect}, as CometD clients send it): handshake, connect,
 * subscribe, unsubscribe and disconnect. It sits behind the session and CSRF checks of {@link GenesysApi}.
 * After an UpdateRecord with a {@code referenceId} it publishes the acknowledgement on {@code /v2/me/outbound} and the
 * device user event on {@code /me/internal}; a refused update publishes an error event instead. The faults of
 * {@link Faults.Acks} change what is published and when. A {@code /meta/connect} waits up to {@link #POLL_MILLIS}
 * for a message (holding its worker thread).
 */
final class GenesysNotifications {

    static final String PATH = "/api/v2/notifications";
    static final String OUTBOUND = "/v2/me/outbound";
    static final String INTERNAL = "/me/internal";
    static final long POLL_MILLIS = 5_000;
    static final long OUT_OF_ORDER_MILLIS = 500;

    private static final class Client {
        final String id;
        final Set<String> channels = ConcurrentHashMap.newKeySet();
        final List<ObjectNode> queue = new ArrayList<>(); // guarded by this
        boolean gone; // guarded by this
        boolean disconnected; // guarded by this: gone by its own /meta/disconnect

        Client(String id) {
            this.id = id;
        }
    }

    private final FaultInjector faults;
    private final ScheduledExecutorService timer;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final List<ObjectNode> heldBack = new ArrayList<>(); // guarded by this: out-of-order acknowledgements

    GenesysNotifications(FaultInjector faults, ScheduledExecutorService timer) {
        this.faults = faults;
        this.timer = timer;
    }

    static boolean isNotificationPath(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    SandboxReply handle(SandboxRequest req) {
        JsonNode body = Json.parseOrNull(req.body());
        List<JsonNode> messages = new ArrayList<>();
        if (body instanceof ArrayNode array) {
            array.forEach(messages::add);
        } else if (body instanceof ObjectNode) {
            messages.add(body);
        } else {
            return SandboxReply.text(400, "Bayeux messages must be a JSON object or array");
        }
        ArrayNode replies = Json.MAPPER.createArrayNode();
        for (JsonNode message : messages) {
            String channel = message.path("channel").asText("");
            switch (channel) {
                case "/meta/handshake" -> replies.add(handshake(message));
                case "/meta/connect" -> connect(message, replies);
                case "/meta/subscribe", "/meta/unsubscribe" -> replies.add(subscription(message, channel.equals("/meta/subscribe")));
                case "/meta/disconnect" -> replies.add(disconnect(message));
                default -> replies.add(reply(message, channel, false).put("error", "403::Publish not allowed"));
            }
        }
        return SandboxReply.json(200, replies);
    }

    /** Publishes the outcome of an UpdateRecord that carried {@code referenceId}: its acknowledgement. */
    void acknowledge(long handle, String referenceId, ObjectNode record, String callResult) {
        Faults.Acks acks = applicableAcks(handle);
        ObjectNode ack = Json.MAPPER.createObjectNode().put("messageType", "OutboundRecordMessage")
                .put("notificationType", "UpdateCallCompletionStatsAcknowledge").put("referenceId", referenceId);
        ack.set("record", record);
        ObjectNode event = Json.MAPPER.createObjectNode().put("messageType", "DeviceUserEventMessage")
                .put("referenceId", referenceId);
        event.putObject("userData").put("GSW_CALLING_LIST", record.path("callingList").asText(""))
                .put("GSW_APPLICATION_ID", record.path("applicationId").asLong())
                .put("GSW_RECORD_HANDLE", handle)
                .put("GSW_USER_EVENT", "UpdateCallCompletionStats")
                .put("GSW_CALL_RESULT", callResult == null ? "0" : callResult)
                .put("GSW_CAMPAIGN_NAME", record.path("campaignName").asText(""));
        List<ObjectNode> out = List.of(message(OUTBOUND, ack), message(INTERNAL, event));
        if (acks == null) {
            publish(out);
            return;
        }
        if (Boolean.TRUE.equals(acks.drop())) {
            return;
        }
        List<ObjectNode> sent = Boolean.TRUE.equals(acks.duplicate())
                ? List.of(out.get(0), out.get(1), out.get(0).deepCopy()) : out;
        if (Boolean.TRUE.equals(acks.outOfOrder())) {
            synchronized (this) {
                heldBack.addAll(sent);
            }
            // released behind the next publication, or on its own when none comes soon
            timer.schedule(() -> publish(List.of()), OUT_OF_ORDER_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        if (acks.delayMs() != null && acks.delayMs() > 0) {
            timer.schedule(() -> publish(sent), acks.delayMs(), TimeUnit.MILLISECONDS);
        } else {
            publish(sent);
        }
    }

    /** Whether the update of this record is to be refused after its HTTP answer (fault {@code acks.refuse}). */
    boolean refusesLater(long handle) {
        Faults.Acks acks = applicableAcks(handle);
        return acks != null && Boolean.TRUE.equals(acks.refuse());
    }

    /** Publishes the error event of a refused UpdateRecord that carried {@code referenceId}. */
    void refuse(String referenceId, int errorCode, String errorMessage) {
        publish(List.of(message(OUTBOUND, Json.MAPPER.createObjectNode().put("messageType", "ErrorMessage")
                .put("referenceId", referenceId).put("errorCode", errorCode).put("errorMessage", errorMessage))));
    }

    /** Forgets every client (the server restarted). */
    void forgetAll() {
        for (Client client : new ArrayList<>(clients.values())) {
            forget(client);
        }
    }

    private Faults.Acks applicableAcks(long handle) {
        Faults.Acks acks = faults.current().acks();
        return acks != null && acks.appliesTo(handle) ? acks : null;
    }

    private void publish(List<ObjectNode> messages) {
        List<ObjectNode> all = new ArrayList<>(messages);
        synchronized (this) {
            // what was held back goes after the messages published after it
            all.addAll(heldBack);
            heldBack.clear();
        }
        for (Client client : clients.values()) {
            synchronized (client) {
                for (ObjectNode m : all) {
                    if (client.channels.contains(m.path("channel").asText())) {
                        client.queue.add(m.deepCopy());
                    }
                }
                client.notifyAll();
            }
        }
    }

    private ObjectNode handshake(JsonNode message) {
        Client client = new Client(UUID.randomUUID().toString().replace("-", ""));
        clients.put(client.id, client);
        ObjectNode reply = reply(message, "/meta/handshake", true).put("version", "1.0").put("clientId", client.id);
        reply.putArray("supportedConnectionTypes").add("long-polling");
        reply.set("advice", advice("retry"));
        return reply;
    }

    private void connect(JsonNode message, ArrayNode replies) {
        Client client = clients.get(message.path("clientId").asText(""));
        if (client != null && faults.forgetsClient()) {
            forget(client);
            client = null;
        }
        if (client == null) {
            replies.add(unknownClient(message, "/meta/connect"));
            return;
        }
        long timeout = message.path("advice").has("timeout") ? message.path("advice").path("timeout").asLong() : POLL_MILLIS;
        long deadline = System.currentTimeMillis() + Math.min(timeout, POLL_MILLIS);
        List<ObjectNode> delivered;
        boolean disconnected;
        synchronized (client) {
            try {
                long left;
                while (client.queue.isEmpty() && !client.gone && (left = deadline - System.currentTimeMillis()) > 0) {
                    client.wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (client.gone && !client.disconnected) {
                replies.add(unknownClient(message, "/meta/connect"));
                return;
            }
            delivered = new ArrayList<>(client.queue);
            client.queue.clear();
            disconnected = client.disconnected;
        }
        delivered.forEach(replies::add);
        replies.add(reply(message, "/meta/connect", true).put("clientId", client.id)
                .set("advice", advice(disconnected ? "none" : "retry")));
    }

    private ObjectNode subscription(JsonNode message, boolean subscribe) {
        String channel = subscribe ? "/meta/subscribe" : "/meta/unsubscribe";
        Client client = clients.get(message.path("clientId").asText(""));
        if (client == null) {
            return unknownClient(message, channel);
        }
        JsonNode subscription = message.path("subscription");
        List<String> names = new ArrayList<>();
        if (subscription.isArray()) {
            subscription.forEach(n -> names.add(n.asText()));
        } else {
            names.add(subscription.asText());
        }
        if (subscribe) {
            client.channels.addAll(names);
        } else {
            names.forEach(client.channels::remove);
        }
        ObjectNode reply = reply(message, channel, true).put("clientId", client.id);
        reply.set("subscription", subscription);
        return reply;
    }

    private ObjectNode disconnect(JsonNode message) {
        Client client = clients.get(message.path("clientId").asText(""));
        if (client != null) {
            synchronized (client) {
                client.disconnected = true;
            }
            forget(client);
        }
        return reply(message, "/meta/disconnect", true);
    }

    private void forget(Client client) {
        clients.remove(client.id);
        synchronized (client) {
            client.gone = true;
            client.queue.clear();
            client.notifyAll();
        }
    }

    private static ObjectNode unknownClient(JsonNode message, String channel) {
        ObjectNode reply = reply(message, channel, false).put("error", "402::Unknown client");
        reply.set("advice", advice("handshake"));
        return reply;
    }

    private static ObjectNode reply(JsonNode message, String channel, boolean successful) {
        ObjectNode reply = Json.MAPPER.createObjectNode().put("channel", channel).put("successful", successful);
        if (message.has("id")) {
            reply.set("id", message.get("id"));
        }
        return reply;
    }

    private static ObjectNode advice(String reconnect) {
        ObjectNode advice = Json.MAPPER.createObjectNode().put("reconnect", reconnect).put("interval", 0);
        return reconnect.equals("retry") ? advice.put("timeout", POLL_MILLIS) : advice;
    }

    private static ObjectNode message(String channel, ObjectNode data) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("channel", channel);
        message.set("data", data);
        return message;
    }
}
