package io.dialerbridge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A fresh sandbox on a free loopback port and a bridge home in a temporary folder, for every test. */
abstract class BridgeEndToEndSupport {

    @TempDir
    Path home;

    BridgeHarness harness;

    @BeforeEach
    void startSandbox() throws Exception {
        harness = newHarness();
    }

    /** The sandbox and home for each test: the seed's records; override for more. */
    BridgeHarness newHarness() throws Exception {
        return BridgeHarness.withSandbox(home);
    }

    @AfterEach
    void stopBridgeAndSandbox() {
        harness.close();
    }
}
