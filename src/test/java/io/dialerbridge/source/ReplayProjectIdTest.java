package io.dialerbridge.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayProjectIdTest {

    @TempDir
    Path home;

    @Test
    void a_letter_whose_projectid_is_not_a_project_id_is_left_for_a_person_and_names_no_folder() throws Exception {
        Path letters = Files.writeString(home.resolve("letters.ndjson"), String.join("\n",
                "{\"projectid\":\"../../x\",\"operation\":\"modify-records\",\"error\":\"e\",\"element\":{\"numberid\":\"1\"}}",
                "{\"projectid\":null,\"operation\":\"modify-records\",\"error\":\"e\",\"element\":{\"numberid\":\"2\"}}",
                "{\"projectid\":\"22?x=1\",\"operation\":\"modify-records\",\"error\":\"e\",\"element\":{\"numberid\":\"3\"}}",
                "{\"projectid\":\"22\",\"operation\":\"modify-records\",\"error\":\"e\",\"element\":{\"numberid\":\"4\"}}",
                "{\"projectid\":\"genesys\",\"operation\":\"update-outbound-records\",\"error\":\"e\",\"element\":{\"recordHandle\":5}}"));
        Path inbox = home.resolve("inbox");

        Replay.Summary summary = new Replay(inbox, Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC))
                .replay(List.of(letters), Set.of());

        assertThat(summary.replayed()).isEqualTo(2);
        assertThat(summary.needsFix()).isEqualTo(3);
        try (Stream<Path> all = Files.walk(home)) {
            assertThat(all.filter(Files::isRegularFile).filter(f -> !f.equals(letters)).map(f -> home.relativize(f).getParent().toString()))
                    .containsExactlyInAnyOrder("inbox/22/modify-records", "inbox/genesys/update-outbound-records");
        }
    }
}
