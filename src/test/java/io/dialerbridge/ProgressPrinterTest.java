package io.dialerbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The estimate behind send's progress bar on a terminal. */
class ProgressPrinterTest {

    @Test
    void expects_one_element_per_non_blank_line_less_a_csv_header_and_none_for_a_json_document(@TempDir Path dir) throws Exception {
        Path ndjson = Files.writeString(dir.resolve("a.ndjson"), "{\"numberid\":\"1\"}\n\n{\"numberid\":\"2\"}\n");
        Path csv = Files.writeString(dir.resolve("b.CSV"), "numberid,city\n1,Eger\n2,Pécs\n3,Győr");
        Path json = Files.writeString(dir.resolve("c.json"), "[{\"numberid\":\"1\"}]");

        assertThat(DialerBridge.ProgressPrinter.expectedElements(ndjson)).isEqualTo(2);
        assertThat(DialerBridge.ProgressPrinter.expectedElements(csv)).isEqualTo(3);
        assertThat(DialerBridge.ProgressPrinter.expectedElements(json)).isEqualTo(-1);
        assertThat(DialerBridge.ProgressPrinter.expectedElements(dir.resolve("gone.csv"))).isEqualTo(-1);
    }
}
