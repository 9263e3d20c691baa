package io.dialerbridge.sync;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The state of incremental sync, in one H2 MVStore file ({@code $BRIDGE_HOME/state/sync.mv.db}): per
 * project and operation, the fingerprint of the last values the dialer accepted for each record key
 * (with the snapshot that last named it), and the fingerprint of the last values it refused.
 *
 * <p>MVStore writes append-only chunks and, after a crash (even {@code kill -9}), opens at the last
 * complete commit: changes of the last second or so ({@code autoCommitDelay}) can be lost, never half
 * written. A lost fingerprint only makes the record be sent again; a fingerprint is written only after
 * the dialer accepted, so the store never says "accepted" for what was not. The file is locked while
 * open: one process owns the sync state at a time (a second one is refused with {@link InUse}).
 */
public final class FingerprintStore implements AutoCloseable {

    public static final String FILE = "sync.mv.db";

    private final MVStore store;
    private final MVMap<String, Long> generations;

    private FingerprintStore(MVStore store) {
        this.store = store;
        this.generations = store.openMap("generations");
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
                    .cacheSize(32)
                    .open();
            store.setAutoCommitDelay(1000);
            return new FingerprintStore(store);
        } catch (MVStoreException e) {
            throw new InUse(stateDir.resolve(FILE), e);
        }
    }

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

    /** The snapshot number of a source: the same one while the source resumes after a restart. */
    public long generationOf(String scope, String sourceName) {
        String sourceKey = "source/" + scope + "/" + sourceName;
        Long known = generations.get(sourceKey);
        if (known != null) {
            return known;
        }
        long next = generations.merge("last/" + scope, 1L, Long::sum);
        generations.put(sourceKey, next);
        return next;
    }

    public void forgetSource(String scope, String sourceName) {
        generations.remove("source/" + scope + "/" + sourceName);
    }

    /** Forgets a project and operation's state (command {@code sync reset}); how many records it knew. */
    public long reset(String projectId, String operation) {
        Scope scope = scope(projectId, operation);
        long known = scope.accepted.size();
        store.removeMap(scope.accepted);
        store.removeMap(scope.refused);
        String prefix = "source/" + scope.name + "/";
        for (String key : new ArrayList<>(generations.keyList())) {
            if (key.startsWith(prefix) || key.equals("last/" + scope.name)) {
                generations.remove(key);
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

    /** A project and operation's fingerprints. */
    public final class Scope {
        final String name;
        final MVMap<String, byte[]> accepted;
        final MVMap<String, byte[]> refused;

        Scope(String name) {
            this.name = name;
            this.accepted = store.openMap("accepted/" + name);
            this.refused = store.openMap("refused/" + name);
        }

        public String name() {
            return name;
        }

        /** The fingerprint of the last accepted values of a record, or null. */
        public byte[] accepted(String key) {
            byte[] value = accepted.get(key);
            return value == null ? null : Arrays.copyOfRange(value, Long.BYTES, value.length);
        }

        /**
         * The fingerprint of the last accepted values of a record, or null; notes on the way that snapshot
         * {@code generation} names the record (one look-up for both).
         */
        public byte[] acceptedAndSeen(String key, long generation) {
            byte[] value = accepted.get(key);
            if (value == null) {
                return null;
            }
            if (ByteBuffer.wrap(value).getLong() < generation) {
                byte[] updated = value.clone();
                ByteBuffer.wrap(updated).putLong(generation);
                accepted.put(key, updated);
            }
            return Arrays.copyOfRange(value, Long.BYTES, value.length);
        }

        /** Notes that snapshot {@code generation} names the record (so it is not listed as removed). */
        public void seen(String key, long generation) {
            byte[] value = accepted.get(key);
            if (value != null && ByteBuffer.wrap(value).getLong() < generation) {
                byte[] updated = value.clone();
                ByteBuffer.wrap(updated).putLong(generation);
                accepted.put(key, updated);
            }
        }

        /** The dialer accepted these values of the record. */
        public void accept(String key, byte[] fingerprint, long generation) {
            accepted.put(key, ByteBuffer.allocate(Long.BYTES + fingerprint.length).putLong(generation).put(fingerprint).array());
            refused.remove(key);
        }

        /** The dialer (or the bridge) refused these values of the record: the next snapshot sends them again. */
        public void refuse(String key, byte[] fingerprint) {
            refused.put(key, fingerprint);
        }

        public boolean wasRefused(String key, byte[] fingerprint) {
            byte[] last = refused.get(key);
            return last != null && Arrays.equals(last, fingerprint);
        }

        /**
         * The records accepted in an earlier snapshot that snapshot {@code generation} did not name: they
         * are forgotten (a record that comes back is sent again) and returned.
         */
        public List<String> removeNotSeenSince(long generation) {
            List<String> removed = new ArrayList<>();
            for (Map.Entry<String, byte[]> entry : accepted.entrySet()) {
                if (ByteBuffer.wrap(entry.getValue()).getLong() < generation) {
                    removed.add(entry.getKey());
                }
            }
            removed.forEach(accepted::remove);
            return removed;
        }

        public long size() {
            return accepted.sizeAsLong();
        }
    }
}
