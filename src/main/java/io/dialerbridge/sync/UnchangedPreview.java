package io.dialerbridge.sync;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import io.dialerbridge.source.ElementReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For {@code validate}: how many elements of files an incremental project would not send because the
 * dialer already holds their values (docs/SYNC.md). It reads the sync state read-only (a copy of it
 * while a bridge holds it) and changes nothing: no fingerprint, no removed list.
 */
public final class UnchangedPreview {

    private UnchangedPreview() {
    }

    /**
     * One line for the dry run, or null when the project and operation are not incremental.
     *
     * @param settings the settings under {@code projects.} (with the {@code sync.mode} of each project)
     */
    public static String describe(Path stateDir, String syncMode, Map<String, String> settings, List<Path> files,
                                  String projectId, Operation operation) throws IOException {
        SyncState modes = new SyncState(stateDir, stateDir, syncMode, settings, null, (e, n) -> { }, java.time.Clock.systemUTC());
        if (!modes.incremental(projectId, operation)) {
            return null;
        }
        String prefix = "incremental sync: ";
        FingerprintStore store;
        try {
            store = FingerprintStore.openReadOnly(stateDir);
        } catch (RuntimeException | IOException e) {
            return prefix + "the sync state could not be read (" + e.getMessage() + "): no element counted unchanged";
        }
        if (store == null) {
            return prefix + "no state yet: every element would be sent";
        }
        if (SyncState.sentInFullMode(stateDir, projectId, operation)) {
            store.close();
            return prefix + "records were sent in full mode since the last incremental snapshot: every element would be sent";
        }
        RecordFingerprint fingerprints = new RecordFingerprint(ProjectDefaults.fromProperties(settings));
        long elements = 0;
        long unchanged = 0;
        try (store) {
            FingerprintStore.Scope scope = store.scope(projectId, operation.id());
            for (Path file : files) {
                if (SyncState.markedFull(file.toString())) {
                    continue;
                }
                SnapshotKeys keys = new SnapshotKeys();
                try (ElementReader reader = ElementReader.open(file, file.toString(), projectId, operation)) {
                    while (reader.hasNext()) {
                        Element element = reader.next();
                        elements++;
                        String key = element.isValid() ? RecordFingerprint.key(element) : null;
                        if (key == null) {
                            continue;
                        }
                        long hash = SnapshotKeys.hash(key);
                        byte[] fingerprint = fingerprints.of(element);
                        if (!keys.has(hash, SnapshotKeys.SENT) && scope.holds(key, fingerprint)) {
                            unchanged++;
                        } else {
                            keys.mark(hash, SnapshotKeys.SENT);
                        }
                    }
                }
            }
        }
        return prefix + unchanged + " of " + elements + " elements would not be sent (unchanged since the dialer last accepted them)";
    }
}
