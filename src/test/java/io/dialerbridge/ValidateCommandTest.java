package io.dialerbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `dialer-bridge validate`: the dry run reads, validates and batches, sends nothing, and says so in its exit code. */
@Timeout(30)
class ValidateCommandTest {

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int validate(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "validate";
        System.arraycopy(args, 0, all, 1, args.length);
        return DialerBridge.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void lists_the_requests_that_would_be_sent_and_every_refused_element_with_exit_3() throws Exception {
        Path input = Files.writeString(dir.resolve("mixed.csv"), "numberid,city\n1,Tata\n,Orphan\n2,Zirc\n");

        int exit = validate("--project", "22", "--operation", "modify-records", input.toString());

        assertThat(exit).as(err.toString()).isEqualTo(DialerBridge.DEAD_LETTERED);
        assertThat(out.toString()).isEqualTo("""
                22/modify-records: 3 elements, 2 would be sent in 1 request (%d bytes), 1 would be refused
                  %s line 3: error.missing_numberid_or_search (%s)
                """.formatted(
                "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"city\":\"Tata\"}},{\"numberid\":\"2\",\"form\":{\"city\":\"Zirc\"}}]}".length(),
                input, "the element has neither numberid nor search, so no record can be selected"));
        assertThat(dir.resolve("dead-letter")).doesNotExist();
    }

    @Test
    void counts_one_request_per_element_for_operations_sent_one_by_one_and_exits_0() throws Exception {
        Path input = Files.writeString(dir.resolve("new.ndjson"), """
                {"form":{"name":"Ada","phone1":"+36700000001"},"contacts":{"1":{"phone":"+36700000001"}}}
                {"form":{"name":"Bea","phone1":"+36700000002"},"contacts":{"1":{"phone":"+36700000002"}}}
                """);

        int exit = validate("--project", "22", "--operation", "add-records", input.toString());

        assertThat(exit).as(out + err.toString()).isEqualTo(DialerBridge.OK);
        assertThat(out.toString()).startsWith("22/add-records: 2 elements, 2 would be sent in 2 requests (")
                .endsWith(" bytes), 0 would be refused\n");
    }

    @Test
    void exits_2_on_bad_usage() {
        assertThat(validate("--project", "22", "nothing.csv")).isEqualTo(DialerBridge.USAGE);
        assertThat(err.toString()).contains("--operation");
    }
}
