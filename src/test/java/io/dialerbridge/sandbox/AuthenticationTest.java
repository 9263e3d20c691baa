package io.dialerbridge.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;

import static io.dialerbridge.sandbox.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Basic auth on /v2 (contract 1.1) with non-default credentials. */
@Timeout(30)
class AuthenticationTest {

    static Sandbox sandbox;
    static SandboxHttp http;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(new SandboxSettings("127.0.0.1", 0, "acme", "s3cret-token", "gws", "gws-pass", null, null));
        http = new SandboxHttp(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private HttpResponse<String> get(String... headers) throws Exception {
        return http.send("GET", sandbox.vccBaseUrl() + "/projects/22/records/1", null, Duration.ofSeconds(10), headers);
    }

    @Test
    void vcc_accepts_customer_and_token_as_basic_auth() throws Exception {
        assertThat(get("Authorization", SandboxHttp.basic("acme", "s3cret-token")).statusCode()).isEqualTo(200);
    }

    @Test
    void vcc_without_credentials_answers_401_with_basic_challenge_and_envelope() throws Exception {
        HttpResponse<String> r = get();
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"VCC\"");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(json(r)).isEqualTo(json("""
                {"errors":[{"errorcode":401,"errormessage":"error.unauthorized"}],"response":false}"""));
    }

    @Test
    void vcc_with_wrong_token_answers_401() throws Exception {
        assertThat(get("Authorization", SandboxHttp.basic("acme", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get("Authorization", SandboxHttp.basic("other", "s3cret-token")).statusCode()).isEqualTo(401);
        assertThat(get("Authorization", "Bearer s3cret-token").statusCode()).isEqualTo(401);
    }

    @Test
    void vcc_refuses_the_gws_credentials() throws Exception {
        assertThat(get("Authorization", SandboxHttp.basic("gws", "gws-pass")).statusCode()).isEqualTo(401);
    }

    @Test
    void batch_endpoints_are_protected_too() throws Exception {
        HttpResponse<String> r = http.send("PUT", sandbox.vccBaseUrl() + "/projects/22/records",
                "{\"elements\":[]}", Duration.ofSeconds(10));
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void admin_api_needs_no_credentials() throws Exception {
        assertThat(http.admin("GET", "/health", null).statusCode()).isEqualTo(200);
    }
}
