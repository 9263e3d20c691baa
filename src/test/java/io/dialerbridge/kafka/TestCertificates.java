package io.dialerbridge.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed test CA and two certificates it signs, made with the JDK's own {@code keytool} in a
 * folder the caller owns: the broker's (subject alternative names 127.0.0.1 and localhost, so that
 * clients keep hostname verification on) and a client's (for mutual TLS). All stores are PKCS12 with
 * {@link #PASSWORD}, EC keys (quick to generate), valid for two days.
 *
 * @param trustStore the CA certificate alone: what a client (or the broker, for client certificates) trusts
 * @param brokerKeyStore the broker's key and its chain
 * @param clientKeyStore the client's key and its chain
 */
public record TestCertificates(Path trustStore, Path brokerKeyStore, Path clientKeyStore) {

    /** The password of every store and key (a test value, never a real one). */
    public static final String PASSWORD = "test-store-pass";

    private static final String KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    /** Makes the CA, then the broker's and the client's certificates (in parallel) in {@code dir}. */
    public static TestCertificates create(Path dir) {
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path trust = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=dialer-bridge test CA", "-ext", "bc:c", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", trust.toString());
        CompletableFuture<Path> broker = CompletableFuture.supplyAsync(() ->
                signed(dir, "broker", ca, caPem, "SAN=ip:127.0.0.1,dns:localhost"));
        Path client = signed(dir, "client", ca, caPem, null);
        return new TestCertificates(trust, broker.join(), client);
    }

    private static Path signed(Path dir, String name, Path ca, Path caPem, String san) {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path pem = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-keystore", store.toString());
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-validity", "2",
                "-keystore", ca.toString(), "-infile", csr.toString(), "-outfile", pem.toString()));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString());
        keytool("-importcert", "-alias", name, "-file", pem.toString(), "-keystore", store.toString());
        return store;
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>(List.of(KEYTOOL));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + KEYTOOL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
