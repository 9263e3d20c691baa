package io.dialerbridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which files the daemon takes from the inbox, end to end (real routes, the sandbox over HTTP, real files):
 * every file that lands in the inbox is processed or moved to failed/ with its reason, except the partial
 * and hidden ones it leaves alone on purpose; no file waits forever.
 */
@Timeout(90)
class InboxFileSelectionTest extends BridgeEndToEndSupport {

    private static final String OPERATION = "modify-records";

    /** Writes a file under inbox/ at a relative path, the careful way (a hidden name, then a rename). */
    private Path dropAt(String relativePath, String content) throws Exception {
        Path target = home.resolve("inbox").resolve(relativePath);
        Files.createDirectories(target.getParent());
        Path partial = Files.writeString(target.resolveSibling("." + target.getFileName() + ".partial"), content,
                StandardCharsets.UTF_8);
        return Files.move(partial, target);
    }

    private Path awaitReason(String relativePath) {
        Path reason = home.resolve("failed").resolve(relativePath + ".reason.txt");
        await(relativePath + " in failed/ with its reason").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        return reason;
    }

    @Test
    void extensions_are_matched_whatever_their_case() throws Exception {
        harness.startBridge(Map.of(), true);
        harness.drop("22", OPERATION, "UP.CSV", "numberid,city\n1,Upper-csv\n");
        harness.drop("22", OPERATION, "mixed.Json", "[{\"numberid\":\"2\",\"form\":{\"city\":\"Mixed-json\"}}]");
        harness.drop("22", OPERATION, "lines.NDJSON", "{\"numberid\":\"3\",\"form\":{\"city\":\"Upper-ndjson\"}}\n");
        harness.drop("22", OPERATION, "lines.JsonL", "{\"numberid\":\"4\",\"form\":{\"city\":\"Mixed-jsonl\"}}\n");

        assertThat(harness.awaitReport("22", OPERATION, "UP.CSV").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.awaitReport("22", OPERATION, "mixed.Json").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.awaitReport("22", OPERATION, "lines.NDJSON").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.awaitReport("22", OPERATION, "lines.JsonL").path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 1)).isEqualTo("Upper-csv");
        assertThat(harness.city("22", 2)).isEqualTo("Mixed-json");
        assertThat(harness.city("22", 3)).isEqualTo("Upper-ndjson");
        assertThat(harness.city("22", 4)).isEqualTo("Mixed-jsonl");
        assertThat(harness.inbox("22", OPERATION, "UP.CSV")).doesNotExist();
    }

    @Test
    void a_file_with_an_unknown_extension_goes_to_failed_with_the_reason() throws Exception {
        harness.startBridge(Map.of(), true);
        dropAt("22/" + OPERATION + "/note.txt", "not records\n");
        dropAt("22/" + OPERATION + "/noextension", "not records\n");
        harness.drop("22", OPERATION, "later.ndjson", "{\"numberid\":\"3\",\"form\":{\"city\":\"After-note\"}}\n");

        assertThat(Files.readString(awaitReason("22/" + OPERATION + "/note.txt"))).contains("unsupported file type", "note.txt");
        assertThat(Files.readString(awaitReason("22/" + OPERATION + "/noextension"))).contains("unsupported file type");
        assertThat(home.resolve("failed/22/" + OPERATION + "/note.txt")).hasContent("not records");
        assertThat(harness.inbox("22", OPERATION, "note.txt")).doesNotExist();
        assertThat(harness.awaitReport("22", OPERATION, "later.ndjson").path("accepted").asLong()).isEqualTo(1);
    }

    @Test
    void a_file_in_a_sub_folder_of_an_operation_folder_goes_to_failed_with_the_reason() throws Exception {
        harness.startBridge(Map.of(), true);
        dropAt("22/" + OPERATION + "/sub/x.csv", "numberid,city\n1,Never-sub\n");
        dropAt("22/" + OPERATION + "/sub/deeper/y.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"Never-deeper\"}}\n");
        String before = harness.city("22", 1);

        assertThat(Files.readString(awaitReason("22/" + OPERATION + "/sub/x.csv")))
                .contains("not in an inbox/<projectid>/<operation>/ folder");
        awaitReason("22/" + OPERATION + "/sub/deeper/y.ndjson");
        assertThat(home.resolve("failed/22/" + OPERATION + "/sub/x.csv")).exists();
        assertThat(home.resolve("inbox/22/" + OPERATION + "/sub/x.csv")).doesNotExist();
        assertThat(harness.city("22", 1)).isEqualTo(before);
    }

    @Test
    void a_file_directly_in_the_inbox_or_in_a_project_folder_goes_to_failed_with_the_reason() throws Exception {
        harness.startBridge(Map.of(), true);
        dropAt("top.csv", "numberid,city\n1,Never-top\n");
        dropAt("22/project.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"Never-project\"}}\n");

        assertThat(Files.readString(awaitReason("top.csv"))).contains("not in an inbox/<projectid>/<operation>/ folder");
        assertThat(Files.readString(awaitReason("22/project.ndjson"))).contains("not in an inbox/<projectid>/<operation>/ folder");
        assertThat(home.resolve("failed/top.csv")).exists();
        assertThat(home.resolve("inbox/top.csv")).doesNotExist();
        assertThat(home.resolve("inbox/22/project.ndjson")).doesNotExist();
    }

    @Test
    void a_name_holding_a_backslash_goes_to_failed_with_the_reason() throws Exception {
        harness.startBridge(Map.of(), true);
        dropAt("22/" + OPERATION + "/a\\b.csv", "numberid,city\n1,Never-backslash\n");
        harness.drop("22", OPERATION, "later.ndjson", "{\"numberid\":\"3\",\"form\":{\"city\":\"After-backslash\"}}\n");

        assertThat(Files.readString(awaitReason("22/" + OPERATION + "/a\\b.csv"))).contains("backslash");
        assertThat(home.resolve("inbox/22/" + OPERATION + "/a\\b.csv")).doesNotExist();
        assertThat(harness.awaitReport("22", OPERATION, "later.ndjson").path("accepted").asLong()).isEqualTo(1);
    }

    @Test
    void partial_and_hidden_files_are_left_alone_while_the_files_beside_them_go_through() throws Exception {
        harness.startBridge(Map.of(), true);
        Path folder = Files.createDirectories(home.resolve("inbox/22/" + OPERATION));
        Files.writeString(folder.resolve(".hidden.csv"), "numberid,city\n1,Never-hidden\n");
        Files.writeString(folder.resolve("upload.csv.part"), "numberid,city\n1,Never-part\n");
        Files.writeString(folder.resolve("upload.csv.tmp"), "numberid,city\n1,Never-tmp\n");
        Files.writeString(folder.resolve("upload.csv.partial"), "numberid,city\n1,Never-partial\n");
        harness.drop("22", OPERATION, "later.ndjson", "{\"numberid\":\"3\",\"form\":{\"city\":\"After-partial\"}}\n");

        assertThat(harness.awaitReport("22", OPERATION, "later.ndjson").path("accepted").asLong()).isEqualTo(1);
        // a second look at the inbox has passed since (poll-delay is 1 s): they are still where they were
        harness.drop("22", OPERATION, "second.ndjson", "{\"numberid\":\"4\",\"form\":{\"city\":\"Second-look\"}}\n");
        harness.awaitReport("22", OPERATION, "second.ndjson");
        assertThat(folder.resolve(".hidden.csv")).exists();
        assertThat(folder.resolve("upload.csv.part")).exists();
        assertThat(folder.resolve("upload.csv.tmp")).exists();
        assertThat(folder.resolve("upload.csv.partial")).exists();
        assertThat(home.resolve("failed")).doesNotExist();
    }
}
