package io.dialerbridge;

import io.dialerbridge.operation.Operation;
import io.dialerbridge.output.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every file under examples/<operation>/ goes through against the sandbox's seed data, as `send` would send it. */
@Timeout(120)
class ExamplesEndToEndTest extends BridgeEndToEndSupport {

    @Test
    void every_example_file_is_accepted_whole_on_a_fresh_sandbox() throws Exception {
        Bridge bridge = harness.startBridge(Map.of(), false);
        List<Path> examples;
        try (Stream<Path> files = Files.walk(Path.of("examples"))) {
            examples = files.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(examples).extracting(p -> p.getParent().getFileName().toString()).contains(
                "modify-dispositions", "add-records", "modify-contacts", "update-outbound-records");
        for (Path example : examples) {
            harness.admin("POST", "reset", null);
            Operation operation = Operation.fromId(example.getParent().getFileName().toString());
            RunReport report = bridge.send(example, "22", operation);
            assertThat(report.deadLettered()).as(example + ": " + report).isZero();
            assertThat(report.accepted()).as(example.toString()).isPositive();
        }
        assertThat(harness.deadLetters()).isEmpty();
    }
}
