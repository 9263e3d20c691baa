package io.dialerbridge.dialer.genesys;

import io.dialerbridge.dialer.AnswerClass;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.dialer.DialerHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A Genesys Web Services session: HTTP Basic login with {@code GET /api/v2/me}, which gives the
 * session cookie ({@code JSESSIONID}) and the CSRF header name and token ({@code X-CSRF-HEADER},
 * {@code X-CSRF-TOKEN}) that every POST must carry. Logs in on first use, again after
 * {@code maxAge} (when set), and again when a request signed with the current session is answered
 * 403/401 ({@link #invalidate}). Neither the password, the cookie nor the token is ever logged or
 * shown by {@link #toString()}.
 */
public final class GenesysSession {

    private static final Logger LOG = LoggerFactory.getLogger(GenesysSession.class);

    private final String baseUrl;
    private final String user;
    private final String authorization;
    private final DialerHttp http;
    private final Duration maxAge;
    private final Clock clock;

    private Ticket current;
    private long generations;

    /** The session's credentials for one request; {@link #toString()} hides them. */
    public record Ticket(long generation, String cookie, String csrfHeader, String csrfToken, long createdMillis) {
        @Override
        public String toString() {
            return "GenesysSession.Ticket[generation=" + generation + ", cookie=****, csrfHeader=" + csrfHeader
                    + ", csrfToken=****]";
        }
    }

    public GenesysSession(String baseUrl, String user, String password, DialerHttp http, Duration maxAge, Clock clock) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.user = user;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = http;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The live session, logging in first when there is none or it is older than the maximum age. */
    public synchronized Ticket ticket() throws IOException {
        if (current != null && !maxAge.isZero()
                && clock.millis() - current.createdMillis() >= maxAge.toMillis()) {
            LOG.info("Genesys session is older than {}: logging in again", maxAge);
            current = null;
        }
        if (current == null) {
            current = login();
        }
        return current;
    }

    /** Puts the session cookie and CSRF token into the request headers; returns the session's generation. */
    public long sign(Map<String, Object> headers) throws IOException {
        Ticket ticket = ticket();
        headers.put("Cookie", ticket.cookie());
        headers.put(ticket.csrfHeader(), ticket.csrfToken());
        return ticket.generation();
    }

    /** Removes the session headers again (so nothing downstream sees them). */
    public void unsign(Map<String, Object> headers) {
        Ticket ticket = current;
        headers.remove("Cookie");
        headers.remove("X-CSRF-TOKEN");
        if (ticket != null) {
            headers.remove(ticket.csrfHeader());
        }
    }

    /** The server refused a request signed with this generation: the next request logs in again. */
    public synchronized void invalidate(long generation) {
        if (current != null && current.generation() == generation) {
            LOG.info("Genesys refused the session: logging in again");
            current = null;
        }
    }

    private Ticket login() throws IOException {
        HttpResponse<Void> response;
        try {
            response = http.get(URI.create(baseUrl + "/api/v2/me"), authorization);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while logging in to Genesys", e);
        }
        int status = response.statusCode();
        AnswerClass answer = AnswerClass.of(status);
        if (answer == AnswerClass.CREDENTIALS_REFUSED) {
            throw new DialerAnswerException.CredentialsRefused("Genesys refused the credentials of user '" + user
                    + "' (HTTP " + status + "): check GWS_USER and GWS_PASSWORD", status);
        }
        if (answer == AnswerClass.BUSY) {
            throw new DialerAnswerException.Transient("Genesys answered HTTP " + status + " to the login",
                    status, response.headers().firstValue("Retry-After").orElse(null));
        }
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .map(c -> c.split(";", 2)[0].trim())
                .filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElse(null);
        String csrfHeader = response.headers().firstValue("X-CSRF-HEADER").orElse("X-CSRF-TOKEN");
        String csrfToken = response.headers().firstValue(csrfHeader).orElse(null);
        if (answer != AnswerClass.ACCEPTED || cookie == null || csrfToken == null) {
            throw new DialerAnswerException("the Genesys login (GET /api/v2/me) answered HTTP " + status
                    + (cookie == null ? " without a JSESSIONID cookie" : "") + (csrfToken == null ? " without a CSRF token" : ""),
                    status, null);
        }
        LOG.info("Logged in to Genesys at {} as {}", baseUrl, user);
        return new Ticket(++generations, cookie, csrfHeader, csrfToken, clock.millis());
    }

    @Override
    public String toString() {
        return "GenesysSession[" + baseUrl + ", user=" + user + ", password=****]";
    }
}
