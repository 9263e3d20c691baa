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
                fields: not checked: no dialer configured (VCC_CUSTOMER, VCC_TOKEN)
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
                .endsWith(" bytes), 0 would be refused\nfields: not checked: no dialer configured (VCC_CUSTOMER, VCC_TOKEN)\n");
    }

    private int validateWith(Path settings, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--config";
        all[1] = settings.toString();
        all[2] = "validate";
        System.arraycopy(args, 0, all, 3, args.length);
        return DialerBridge.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** A settings file pointing at {@code baseUrl} with the sandbox's credentials. */
    private Path settings(String baseUrl) throws Exception {
        return Files.writeString(dir.resolve("settings.properties"), Files.readString(Path.of("config/application.properties"))
                + "\nbridge.home = " + dir + "\nvcc.base-url = " + baseUrl + "\nvcc.customer = sandbox\nvcc.token = sandbox\n");
    }

    @Test
    void checks_the_fields_against_a_dialer_it_can_read_and_names_the_fields_and_new_values() throws Exception {
        try (io.dialerbridge.sandbox.Sandbox sandbox = io.dialerbridge.sandbox.Sandbox.start(
                io.dialerbridge.sandbox.SandboxSettings.defaults())) {
            Path settings = settings(sandbox.vccBaseUrl());
            Path rows = Files.writeString(dir.resolve("rows.ndjson"), """
                    {"numberid":"1","form":{"city":"Eger","likes":"sports|chess"}}
                    {"numberid":"2","form":{"shoe_size":"44"}}
                    """);
            Path typo = Files.writeString(dir.resolve("typo.csv"), "numberid,citty\n1,Eger\n");

            int exit = validateWith(settings, "--project", "22", "--operation", "modify-records", rows.toString(), typo.toString());

            assertThat(exit).as(out + err.toString()).isEqualTo(DialerBridge.DEAD_LETTERED);
            assertThat(out.toString())
                    .contains("22/modify-records: 2 elements, 1 would be sent in 1 request")
                    .contains(rows + " line 2: error.field_not_exists (the project has no field 'shoe_size')")
                    .contains(typo + ": would go to failed/ as a whole: the CSV header names a column that project 22 has no field for: citty")
                    .endsWith("fields: checked against project 22 (city, likes, shoe_size); new values (the dialer would create them): "
                            + "likes: chess\n");
        }
    }

    @Test
    void says_it_could_not_check_the_fields_when_the_dialer_cannot_be_reached_and_stays_usable() throws Exception {
        Path settings = settings("http://127.0.0.1:1/v2");
        Path rows = Files.writeString(dir.resolve("rows.ndjson"), "{\"numberid\":\"1\",\"form\":{\"shoe_size\":\"44\"}}\n");

        int exit = validateWith(settings, "--project", "22", "--operation", "modify-records", rows.toString());

        assertThat(exit).as(out + err.toString()).isEqualTo(DialerBridge.OK);
        assertThat(out.toString()).contains("1 would be sent").contains("fields: not checked: the dialer cannot be read at http://127.0.0.1:1/v2/projects/22");
    }

    @Test
    void exits_2_on_bad_usage() {
        assertThat(validate("--project", "22", "nothing.csv")).isEqualTo(DialerBridge.USAGE);
        assertThat(err.toString()).contains("--operation");
    }

    @Test
    void an_empty_csv_is_refused_as_a_whole_naming_the_file_with_exit_3_and_the_other_files_are_still_planned() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        Path fine = Files.writeString(dir.resolve("fine.csv"), "numberid,city\n1,Tata\n");

        int exit = validate("--project", "22", "--operation", "modify-records", empty.toString(), fine.toString());

        assertThat(exit).as(out + err.toString()).isEqualTo(DialerBridge.DEAD_LETTERED);
        assertThat(out.toString()).startsWith("22/modify-records: 1 elements, 1 would be sent in 1 request (")
                .contains(empty + ": would go to failed/ as a whole: ");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void a_directory_given_as_file_is_bad_usage_with_exit_2() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder.csv"));

        assertThat(validate("--project", "22", "--operation", "modify-records", folder.toString())).isEqualTo(DialerBridge.USAGE);
        assertThat(err.toString()).contains("not a file: " + folder);
        assertThat(DialerBridge.execute(new String[] {"send", "--project", "22", "--operation", "modify-records",
                folder.toString()}, new PrintWriter(out, true), new PrintWriter(err, true))).isEqualTo(DialerBridge.USAGE);
    }

    @Test
    void accepts_extensions_in_any_case() throws Exception {
        Path upper = Files.writeString(dir.resolve("UP.CSV"), "numberid,city\n1,Tata\n");
        Path mixed = Files.writeString(dir.resolve("lines.NdJson"), "{\"numberid\":\"2\",\"form\":{\"city\":\"Zirc\"}}\n");

        int exit = validate("--project", "22", "--operation", "modify-records", upper.toString(), mixed.toString());

        assertThat(exit).as(out + err.toString()).isEqualTo(DialerBridge.OK);
        assertThat(out.toString()).startsWith("22/modify-records: 2 elements, 2 would be sent in 2 requests (");
    }
}
