package io.dialerbridge.dialer;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class DialerHttpTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/projects", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            exchange.sendResponseHeaders("Basic ok".equals(authorization) ? 200 : 401, -1);
            exchange.close();
        });
        server.createContext("/hung", exchange -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void sends_a_get_with_the_authorization_header() throws Exception {
        DialerHttp http = new DialerHttp(Duration.ofSeconds(2), Duration.ofSeconds(2));

        assertThat(http.get(base.resolve("/projects"), "Basic ok").statusCode()).isEqualTo(200);
        assertThat(http.get(base.resolve("/projects"), "Basic wrong").statusCode()).isEqualTo(401);
        assertThat(http.probe(base.resolve("/projects"), "Basic ok").statusCode()).isEqualTo(200);
    }

    @Test
    void a_probe_gives_up_after_the_connect_timeout_a_request_after_the_response_timeout() {
        DialerHttp http = new DialerHttp(Duration.ofMillis(200), Duration.ofMillis(2500));

        long start = System.nanoTime();
        assertThatThrownBy(() -> http.probe(base.resolve("/hung"), "Basic ok")).isInstanceOf(HttpTimeoutException.class);
        long probeMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        assertThatThrownBy(() -> http.get(base.resolve("/hung"), "Basic ok")).isInstanceOf(HttpTimeoutException.class);
        long getMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(probeMillis).as("probe").isBetween(200L, 2000L);
        assertThat(getMillis).as("request").isGreaterThanOrEqualTo(2500L);
    }
}
