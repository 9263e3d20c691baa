package io.dialerbridge.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to start a {@link Sandbox}.
 *
 * @param host        the address to bind (default 127.0.0.1)
 * @param port        the port to bind; 0 picks a free port (default 0)
 * @param customer    the VCC customer id, i.e. the Basic auth user name of /v2 (default "sandbox")
 * @param token       the VCC API token, i.e. the Basic auth password of /v2 (default "sandbox")
 * @param gwsUser     the Genesys (GWS) Basic auth user (default "sandbox")
 * @param gwsPassword the Genesys (GWS) Basic auth password (default "sandbox")
 * @param seedFile    the seed fixture; null means the built-in classpath resource {@code /sandbox-seed.json}
 * @param faults      the faults active from the start (null = none)
 */
public record SandboxSettings(String host, int port, String customer, String token, String gwsUser, String gwsPassword,
                              Path seedFile, Faults faults) {

    /** The seed fixture users edit: {@code config/sandbox-seed.json}, relative to the working directory. */
    public static final Path DEFAULT_SEED_FILE = Path.of("config", "sandbox-seed.json");

    public SandboxSettings {
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sandbox.port must be 0-65535, got " + port);
        }
        customer = customer == null ? "sandbox" : customer;
        token = token == null ? "sandbox" : token;
        gwsUser = gwsUser == null ? "sandbox" : gwsUser;
        gwsPassword = gwsPassword == null ? "sandbox" : gwsPassword;
        faults = faults == null ? Faults.none() : faults;
    }

    /** 127.0.0.1, a free port, sandbox/sandbox for both APIs, config/sandbox-seed.json if it exists, no faults. */
    public static SandboxSettings defaults() {
        return new SandboxSettings("127.0.0.1", 0, "sandbox", "sandbox", "sandbox", "sandbox", defaultSeedFile(), Faults.none());
    }

    /**
     * Reads the settings from properties; every key is optional.
     * <ul>
     *   <li>{@code sandbox.host} — bind address, default 127.0.0.1</li>
     *   <li>{@code sandbox.port} — port, default 0 (a free port)</li>
     *   <li>{@code sandbox.customer} / {@code sandbox.token} — VCC Basic auth, default sandbox / sandbox</li>
     *   <li>{@code sandbox.gws.user} / {@code sandbox.gws.password} — GWS Basic auth, default sandbox / sandbox</li>
     *   <li>{@code sandbox.seed-file} — seed fixture path; default config/sandbox-seed.json when it exists, else the
     *       built-in classpath seed; the value {@code classpath} forces the built-in seed</li>
     *   <li>{@code sandbox.faults.*} — initial faults, see {@link Faults#fromProperties(Map)}</li>
     * </ul>
     */
    public static SandboxSettings fromProperties(Map<String, String> props) {
        SandboxSettings d = defaults();
        String seed = props.get("sandbox.seed-file");
        Path seedFile = seed == null || seed.isBlank() ? d.seedFile()
                : seed.trim().equalsIgnoreCase("classpath") ? null : Path.of(seed.trim());
        String port = props.get("sandbox.port");
        return new SandboxSettings(
                props.getOrDefault("sandbox.host", d.host()),
                port == null || port.isBlank() ? d.port() : Integer.parseInt(port.trim()),
                props.getOrDefault("sandbox.customer", d.customer()),
                props.getOrDefault("sandbox.token", d.token()),
                props.getOrDefault("sandbox.gws.user", d.gwsUser()),
                props.getOrDefault("sandbox.gws.password", d.gwsPassword()),
                seedFile,
                Faults.fromProperties(props));
    }

    public SandboxSettings withPort(int newPort) {
        return new SandboxSettings(host, newPort, customer, token, gwsUser, gwsPassword, seedFile, faults);
    }

    public SandboxSettings withSeedFile(Path newSeedFile) {
        return new SandboxSettings(host, port, customer, token, gwsUser, gwsPassword, newSeedFile, faults);
    }

    public SandboxSettings withFaults(Faults newFaults) {
        return new SandboxSettings(host, port, customer, token, gwsUser, gwsPassword, seedFile, newFaults);
    }

    /** Keeps the token and password out of logs and exception messages. */
    @Override
    public String toString() {
        return "SandboxSettings[host=" + host + ", port=" + port + ", customer=" + customer + ", token=***, gwsUser="
                + gwsUser + ", gwsPassword=***, seedFile=" + (seedFile == null ? "classpath:/sandbox-seed.json" : seedFile)
                + ", faults=" + faults.toJson() + "]";
    }

    private static Path defaultSeedFile() {
        return Files.isRegularFile(DEFAULT_SEED_FILE) ? DEFAULT_SEED_FILE : null;
    }
}
