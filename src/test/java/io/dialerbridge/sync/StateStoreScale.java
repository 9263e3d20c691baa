package io.dialerbridge.sync;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The incremental-sync state store at the scale the sync must hold (bench/state-store, docs/BENCHMARKS.md):
 * writes N record fingerprints into a fresh store the way the bridge does (one put per accepted element,
 * committed as it goes), closes it, opens it again cold and looks records up, in the order of a snapshot
 * (by numberid) and at random; every look-up must find the fingerprint written for its record. Prints one
 * RESULT line: the store's size on disk and the rates of writes and of each kind of look-up.
 * Usage: java -Xmx256m -cp ... io.dialerbridge.sync.StateStoreScale STATE_DIR [N] [LOOKUPS]
 */
public final class StateStoreScale {

    private StateStoreScale() {
    }

    /** The fingerprint of record i: 16 bytes, a different value per record, reproducible. */
    static byte[] fingerprint(long i) {
        SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
        return ByteBuffer.allocate(RecordFingerprint.LENGTH).putLong(random.nextLong()).putLong(random.nextLong()).array();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long n = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        int lookups = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;

        long start = System.nanoTime();
        try (FingerprintStore store = FingerprintStore.open(dir)) {
            FingerprintStore.Scope scope = store.scope("22", "modify-records");
            for (long i = 1; i <= n; i++) {
                scope.accept("n:" + i, fingerprint(i));
                if (i % 100_000 == 0) {
                    store.commit();
                }
            }
            store.commit();
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        long bytes = Files.size(dir.resolve(FingerprintStore.FILE));

        double inOrder;
        double atRandom;
        long size;
        try (FingerprintStore store = FingerprintStore.open(dir)) {
            FingerprintStore.Scope scope = store.scope("22", "modify-records");
            size = scope.size();
            // a snapshot's order: a run of consecutive numberids from the middle of the store, cold
            long first = n / 2 - lookups / 2;
            start = System.nanoTime();
            for (long i = first; i < first + lookups; i++) {
                check(scope, i);
            }
            inOrder = lookups / ((System.nanoTime() - start) / 1e9);
            SplittableRandom random = new SplittableRandom(42);
            start = System.nanoTime();
            for (int k = 0; k < lookups; k++) {
                check(scope, 1 + random.nextLong(n));
            }
            atRandom = lookups / ((System.nanoTime() - start) / 1e9);
        }
        if (size != n) {
            throw new IllegalStateException("the store holds " + size + " records, not " + n);
        }
        System.out.printf("RESULT state store %d records: %.0f MB on disk, written at %.0f/s (%.1f s), "
                        + "look-ups in snapshot order %.0f/s, at random %.0f/s (%d each, every one found)%n",
                n, bytes / 1e6, n / writeSeconds, writeSeconds, inOrder, atRandom, lookups);
    }

    private static void check(FingerprintStore.Scope scope, long i) {
        if (!scope.holds("n:" + i, fingerprint(i))) {
            throw new IllegalStateException("record " + i + " lost its fingerprint");
        }
    }
}
