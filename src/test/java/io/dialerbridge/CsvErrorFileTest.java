package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A CSV input's refused rows come back as an errors.csv that, corrected, can be dropped straight back. */
@Timeout(60)
class CsvErrorFileTest extends BridgeEndToEndSupport {

    @Test
    void refused_rows_come_back_as_a_csv_that_can_be_fixed_and_dropped_again() throws Exception {
        harness.startBridge(Map.of(), true);
        harness.drop("22", "modify-records", "people.csv", "\uFEFFnumberid,city\r\n1,Tata\r\n,Orphan\r\n424242,\"Nowhere, Far\"\r\n");
        harness.awaitReport("22", "modify-records", "people.csv", Duration.ofSeconds(30));

        String errors = Files.readString(harness.done("22", "modify-records", "people.errors.csv"));
        assertThat(errors.lines()).containsExactly(
                "numberid,city,error,error_message",
                "\"\",Orphan,error.missing_numberid_or_search,"
                        + "\"the element has neither numberid nor search, so no record can be selected\"",
                "424242,\"Nowhere, Far\",error.record_not_exists,the dialer refused this element: error.record_not_exists");

        // corrected by hand: numbers filled in, the error columns left as they were
        String fixed = errors.replace("\"\",Orphan,", "2,Orphan,").replace("424242,", "3,");
        harness.drop("22", "modify-records", "people-fixed.csv", fixed);
        JsonNode report = harness.awaitReport("22", "modify-records", "people-fixed.csv", Duration.ofSeconds(30));

        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isZero();
        assertThat(harness.city("22", 2)).isEqualTo("Orphan");
        assertThat(harness.city("22", 3)).isEqualTo("Nowhere, Far");
        assertThat(harness.done("22", "modify-records", "people-fixed.errors.csv")).doesNotExist();
    }

    @Test
    void a_semicolon_separated_csv_is_sent_and_its_refused_rows_come_back_separated_by_semicolons() throws Exception {
        harness.startBridge(Map.of(), true);
        harness.drop("22", "modify-records", "excel.csv",
                "\uFEFFnumberid;city\r\n1;\"Tata; Komárom\"\r\n;Orphan, Far\r\n");
        JsonNode report = harness.awaitReport("22", "modify-records", "excel.csv", Duration.ofSeconds(30));
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 1)).isEqualTo("Tata; Komárom");

        String errors = Files.readString(harness.done("22", "modify-records", "excel.errors.csv"));
        assertThat(errors.lines()).containsExactly(
                "numberid;city;error;error_message",
                "\"\";Orphan, Far;error.missing_numberid_or_search;"
                        + "the element has neither numberid nor search, so no record can be selected");

        harness.drop("22", "modify-records", "excel-fixed.csv", errors.replace("\"\";Orphan", "2;Orphan"));
        JsonNode fixed = harness.awaitReport("22", "modify-records", "excel-fixed.csv", Duration.ofSeconds(30));
        assertThat(fixed.path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 2)).isEqualTo("Orphan, Far");
    }

    @Test
    void a_row_longer_than_the_header_keeps_its_cells_so_that_dropped_back_unchanged_it_is_refused_again() throws Exception {
        harness.startBridge(Map.of(), true);
        harness.drop("22", "modify-records", "wide.csv", "numberid,city,age\n1,Tata,30\n2,toomany,1,2\n");
        harness.awaitReport("22", "modify-records", "wide.csv", Duration.ofSeconds(30));

        String errors = Files.readString(harness.done("22", "modify-records", "wide.errors.csv"));
        assertThat(errors.lines().toList()).hasSize(2);
        assertThat(errors.lines().toList().get(1)).startsWith("2,toomany,1,2,error.malformed_csv,");

        // dropped back as it is: the same row is refused again, not sent without its last cell
        harness.drop("22", "modify-records", "wide-again.csv", errors);
        JsonNode report = harness.awaitReport("22", "modify-records", "wide-again.csv", Duration.ofSeconds(30));
        assertThat(report.path("accepted").asLong()).isZero();
        assertThat(report.path("deadLettered").asLong()).isEqualTo(1);
    }
}
