package io.dialerbridge.sync;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a lease hand-over the daemon that lost the lease holds the sync state until its batches in flight
 * are answered: the one that took over waits for it rather than failing (and burning a file attempt).
 */
class SyncStateLockTest {

    @TempDir
    Path home;

    @Test
    void a_store_held_by_another_bridge_is_waited_for() throws Exception {
        RecordFingerprint fingerprints = new RecordFingerprint(ProjectDefaults.fromProperties(Map.of()));
        SyncState sync = new SyncState(home.resolve("state"), home.resolve("reports"), "incremental", Map.of(),
                fingerprints, (element, count) -> { }, Clock.systemUTC());
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("numberid", "7");
        body.putObject("form").put("age", "30");
        Element element = new Element("e", "22", Operation.MODIFY_RECORDS, body, null, SourceRef.fileLine("f", 1), null, null);

        FingerprintStore other = FingerprintStore.open(home.resolve("state")); // the daemon stopping
        Thread[] recorder = new Thread[1];
        CompletableFuture<Void> recorded = CompletableFuture.runAsync(() -> {
            recorder[0] = Thread.currentThread();
            sync.recorded(List.of(element), List.of());
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder[0] != null
                && recorder[0].getState() == Thread.State.TIMED_WAITING);
        assertThat(recorded).as("waits while the other bridge holds the state").isNotDone();
        other.close();
        recorded.get();
        sync.close();
        try (FingerprintStore store = FingerprintStore.open(home.resolve("state"))) {
            assertThat(store.scope("22", "modify-records").accepted("n:7")).isEqualTo(fingerprints.of(element));
        }
    }
}
