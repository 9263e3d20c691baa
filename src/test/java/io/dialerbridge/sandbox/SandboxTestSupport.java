package io.dialerbridge.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One sandbox (built-in seed) per test class on a free loopback port, reset before every test. */
abstract class SandboxTestSupport {

    static Sandbox sandbox;
    static SandboxHttp http;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxSettings.defaults().withSeedFile(null));
        http = new SandboxHttp(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() throws Exception {
        http.reset();
    }
}
