package io.dialerbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An inbox folder that is not a project id: its files go to failed/ with the reason, and nothing is sent. */
@Timeout(90)
class InboxProjectFolderTest extends BridgeEndToEndSupport {

    private static final String OPERATION = "modify-records";

    @Test
    void a_file_in_a_folder_that_is_not_a_project_id_goes_to_failed_and_nothing_is_sent() throws Exception {
        harness.startBridge(Map.of(), true);
        String element = "{\"numberid\":\"1\",\"form\":{\"city\":\"Wrong\"}}\n";
        for (String folder : new String[] {"abc", "22?x=1", "-22", "2%32"}) {
            harness.drop(folder, OPERATION, "x.ndjson", element);
        }
        harness.drop("22", OPERATION, "later.ndjson", "{\"numberid\":\"2\",\"form\":{\"city\":\"Right\"}}\n");

        for (String folder : new String[] {"abc", "22?x=1", "-22", "2%32"}) {
            Path reason = home.resolve("failed").resolve(folder).resolve(OPERATION).resolve("x.ndjson.reason.txt");
            await("the file of inbox/" + folder + " is in failed/ with its reason").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(reason));
            assertThat(Files.readString(reason)).contains("the inbox folder " + folder + " is not a project")
                    .contains("error.wrong_projectid").contains("\"" + folder + "\"");
            assertThat(harness.inbox(folder, OPERATION, "x.ndjson")).doesNotExist();
        }
        assertThat(harness.awaitReport("22", OPERATION, "later.ndjson").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 1)).isNotEqualTo("Wrong");
        assertThat(harness.requests()).as("only project 22 was asked for")
                .allSatisfy(r -> assertThat(r.path("path").asText()).matches("/v2/projects(/22(/.*)?)?"));
        assertThat(harness.deadLetters()).isEmpty();
    }
}
