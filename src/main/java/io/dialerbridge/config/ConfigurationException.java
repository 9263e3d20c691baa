package io.dialerbridge.config;

/** Settings that cannot work: the bridge refuses to start, and a one-shot run exits 1. */
public final class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
