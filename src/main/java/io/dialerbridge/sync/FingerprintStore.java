package io.dialerbridge.sync;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Iterator;

/**
 * The state of incremental sync, in one H2 MVStore file ({@code $BRIDGE_HOME/state/sync.mv.db}): per
 * project and operation, the fingerprint of the last values the dialer accepted for each record key,
 * and the fingerprint of the last values it refused.
 *
 * <p>MVStore writes append-only chunks and, after a crash (even {@code kill -9}), opens at the last
 * complete commit: changes of the last second or so ({@code autoCommitDelay}) can be lost, never half
 * written. A lost fingerprint only makes the record be sent again; a fingerprint is written only after
 * the dialer accepted, so the store never says "accepted" for what was not. The file is locked while
 * open: one process owns the sync state at a time (a second one is refused with {@link InUse}). Reading
 * a snapshot writes nothing: the records it names are kept in memory ({@link SnapshotKeys}).
 */
public final class FingerprintStore implements AutoCloseable {

    public static final String FILE = "sync.mv.db";

    private final MVStore store;

    private FingerprintStore(MVStore store) {
        this.store = store;
    }

    public static FingerprintStore open(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            MVStore store = new MVStore.Builder()
                    .fileName(stateDir.resolve(FILE).toString())
                    .cacheSize(CACHE_MB)
                    .open();
            store.setAutoCommitDelay(1000);
            return new FingerprintStore(store);
        } catch (MVStoreException e) {
            throw new InUse(stateDir.resolve(FILE), e);
        }
    }

    /**
     * The store opened read-only (for {@code validate}), or null when there is none. While a bridge
     * holds the file, a copy of it is read: MVStore opens a copy at its last complete commit.
     */
    public static FingerprintStore openReadOnly(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return new FingerprintStore(new MVStore.Builder().fileName(file.toString()).readOnly()
                    .cacheSize(CACHE_MB).open());
        } catch (MVStoreException | IllegalStateException e) {
            Path copy = Files.createTempFile("dialer-bridge-sync-", ".mv.db");
            copy.toFile().deleteOnExit();
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new FingerprintStore(new MVStore.Builder().fileName(copy.toString()).readOnly()
                    .cacheSize(CACHE_MB).open());
        }
    }

    /** MB of pages kept in memory: a million keys' pages fit. */
    static final int CACHE_MB = 64;

    /** The sync state is open in another process (a daemon, or a send in progress). */
    public static final class InUse extends IllegalStateException {
        InUse(Path file, Throwable cause) {
            super("the sync state " + file + " cannot be opened (is another bridge using it?): " + cause.getMessage(), cause);
        }
    }

    /** One project and operation's state. */
    public Scope scope(String projectId, String operation) {
        return new Scope(projectId + "/" + operation);
    }

    /** Forgets a project and operation's state (command {@code sync reset}); how many records it knew. */
    public long reset(String projectId, String operation) {
        Scope scope = scope(projectId, operation);
        long known = scope.accepted.size();
        store.removeMap(scope.accepted);
        store.removeMap(scope.refused);
        for (String old : List.of("accepted/" + scope.name, "refused/" + scope.name)) {
            if (store.hasMap(old)) {
                store.removeMap(old);
            }
        }
        store.commit();
        return known;
    }

    public void commit() {
        store.commit();
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * Keys as text and fingerprints as bytes, with their own data types: smaller pages (and a smaller
     * estimate of them in the cache) than MVStore's generic object type, which the first version used
     * (under the map names {@code accepted/} and {@code refused/}, now ignored: a store of that version
     * sends its next snapshot whole).
     */
    private static MVMap.Builder<String, byte[]> typed() {
        return new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE);
    }

    /** A project and operation's fingerprints. */
    public final class Scope {
        final String name;
        final MVMap<String, byte[]> accepted;
        final MVMap<String, byte[]> refused;

        Scope(String name) {
            this.name = name;
            this.accepted = store.openMap("fingerprints/" + name, typed());
            this.refused = store.openMap("refusals/" + name, typed());
        }

        public String name() {
            return name;
        }

        /** The fingerprint of the last accepted values of a record, or null. */
        public byte[] accepted(String key) {
            byte[] value = accepted.get(key);
            return value == null ? null : value.clone();
        }

        /** Whether the dialer last accepted exactly these values of the record (one look-up, no copy). */
        public boolean holds(String key, byte[] fingerprint) {
            return holds(accepted.get(key), fingerprint);
        }

        /** The stored fingerprint of a record, as stored (null: none). */
        byte[] stored(String key) {
            return accepted.get(key);
        }

        static boolean holds(byte[] stored, byte[] fingerprint) {
            return stored != null && Arrays.equals(stored, fingerprint);
        }

        /** The dialer accepted these values of the record. */
        public void accept(String key, byte[] fingerprint) {
            accepted.put(key, fingerprint);
            if (!refused.isEmpty()) {
                refused.remove(key);
            }
        }

        /**
         * The dialer (or the bridge) refused these values of the record: the next snapshot sends them again.
         * The fingerprint of its last accepted values is forgotten too: a refusal may leave the dialer's record
         * unknown (a request that timed out or lost its connection may have been applied), so the next snapshot
         * sends the record whatever its values, even values equal to those accepted before.
         */
        public void refuse(String key, byte[] fingerprint) {
            refused.put(key, fingerprint);
            accepted.remove(key);
        }

        public boolean wasRefused(String key, byte[] fingerprint) {
            if (refused.isEmpty()) {
                return false;
            }
            byte[] last = refused.get(key);
            return last != null && Arrays.equals(last, fingerprint);
        }

        /** The records with a fingerprint that a snapshot does not name, without changing anything. */
        List<String> notIn(SnapshotKeys snapshot) {
            List<String> missing = new ArrayList<>();
            Iterator<String> keys = accepted.keyIterator(null);
            while (keys.hasNext()) {
                String key = keys.next();
                if (!snapshot.has(SnapshotKeys.hash(key), SnapshotKeys.SEEN)) {
                    missing.add(key);
                }
            }
            return missing;
        }

        /** Forgets records (they left the snapshot: a record that comes back is sent again). */
        void forget(List<String> keys) {
            keys.forEach(accepted::remove);
        }

        public long size() {
            return accepted.sizeAsLong();
        }
    }
}
