package io.dialerbridge.ops;

import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine of the management server (camel.management.port, where /observe/health and
 * /observe/metrics are): a route that consumes from the component {@link #component} answers on the
 * management port, beside health and metrics, instead of on the main HTTP server (which the bridge does
 * not start). The status page's routes use it.
 */
public final class ManagementPortEngine extends VertxPlatformHttpEngine {

    private final int port;

    private ManagementPortEngine(int port) {
        this.port = port;
    }

    /** A platform-http component whose routes are served on the management server at this port. */
    public static PlatformHttpComponent component(int port) {
        PlatformHttpComponent component = new PlatformHttpComponent();
        component.setEngine(new ManagementPortEngine(port));
        return component;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
