package io.dialerbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `send --operation update-outbound-records` needs no --project (Genesys has none); the VCC Live operations do. */
@Timeout(60)
class SendWithoutProjectTest {

    @TempDir
    Path home;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** The settings file of the repository, with the bridge's files in the test's folder; no dialer configured: sandbox mode. */
    private Path settings() throws Exception {
        String text = Files.readString(Path.of("config", "application.properties"))
                .replace("bridge.home = ./data", "bridge.home = " + home);
        return Files.writeString(home.resolve("application.properties"), text);
    }

    private int send(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "--config";
        all[1] = settings().toString();
        all[2] = "send";
        System.arraycopy(args, 0, all, 3, args.length);
        return DialerBridge.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void sends_update_outbound_records_without_a_project() throws Exception {
        int exit = send("--operation", "update-outbound-records", "examples/update-outbound-records/updates.ndjson");

        assertThat(exit).as(out + err.toString()).isEqualTo(DialerBridge.OK);
        assertThat(out.toString()).contains("dead-lettered: 0");
    }

    @Test
    void refuses_a_vcc_operation_without_a_project_with_exit_2() throws Exception {
        assertThat(send("--operation", "modify-records", "examples/update-outbound-records/updates.ndjson"))
                .isEqualTo(DialerBridge.USAGE);
        assertThat(err.toString()).contains("--project is required for modify-records");
    }
}
