package io.dialerbridge.dialer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The one HTTP client for the requests the bridge makes to a dialer from Java: the Genesys login, the
 * credentials probe and the one-shot check before {@code send}. One {@link HttpClient} (connection pool,
 * {@code vcc.connect-timeout}) and one response timeout ({@code vcc.response-timeout}), the same two
 * values camel-http is configured with for the batch and per-element requests the routes make. TLS is
 * the JDK's default: certificates and host names are verified.
 *
 * <p>Why a JDK client beside camel-http: these are synchronous calls made from inside beans, whose
 * answer the bean needs before it returns (a request cannot be signed before the login answered; the
 * probe reopens the gate itself). Sending them through a route would make the bean call back into
 * the routes. {@code reconcile} reads records back through it too: a one-shot command that starts no
 * Camel context, one paced request at a time.
 */
public final class DialerHttp {

    private final CompletableFuture<HttpClient> client = new CompletableFuture<>();
    private final Duration connectTimeout;
    private final Duration responseTimeout;

    public DialerHttp(Duration connectTimeout, Duration responseTimeout) {
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        // built on a thread of its own: its TLS context reads the JDK's trust store, a tenth of a second or
        // more at start-up that the rest of the start need not wait for; the first request waits for it
        Thread building = new Thread(() -> {
            try {
                client.complete(HttpClient.newBuilder().connectTimeout(connectTimeout).build());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        }, "dialer-http-client");
        building.setDaemon(true);
        building.start();
    }

    private HttpClient client() {
        try {
            return client.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** {@code GET uri}, answered within the response timeout; the body is not read. */
    public HttpResponse<Void> get(URI uri, String authorization) throws IOException, InterruptedException {
        return get(uri, authorization, responseTimeout);
    }

    /**
     * {@code GET uri} as a probe: it must be answered as quickly as a connection is made (within the
     * connect timeout), so that a dialer that does not answer at once counts as still unavailable.
     */
    public HttpResponse<Void> probe(URI uri, String authorization) throws IOException, InterruptedException {
        return get(uri, authorization, connectTimeout);
    }

    /** {@code GET uri}, answered within the response timeout, with the body as text. */
    public HttpResponse<String> read(URI uri, String authorization) throws IOException, InterruptedException {
        return client().send(request(uri, authorization, responseTimeout), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(URI uri, String authorization, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        // no credentials: a probe that only asks whether the server answers
        return authorization == null ? request.build() : request.header("Authorization", authorization).build();
    }

    private HttpResponse<Void> get(URI uri, String authorization, Duration timeout) throws IOException, InterruptedException {
        return client().send(request(uri, authorization, timeout), HttpResponse.BodyHandlers.discarding());
    }
}
