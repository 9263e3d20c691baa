package io.dialerbridge.sync;

/**
 * The record keys of one snapshot in progress, in memory: each key as a 64-bit hash with two marks,
 * {@link #SEEN} (the snapshot names the record: it is not listed {@code removed}) and {@link #SENT} (a
 * row of the record was sent in this snapshot: its later rows are sent whatever their values).
 *
 * <p>An open-addressing table of longs (9 bytes a slot, at most 3/4 full: about 12 bytes a key, 120 MB
 * for 10 million keys), so no store write is needed for a row that has not changed. Two keys with one
 * hash (about one chance in 4·10<sup>5</sup> for a whole 10-million-key snapshot) only make a removed record
 * go unlisted (its fingerprint stays: the dialer still holds those values) or an unchanged row be sent.
 */
final class SnapshotKeys {

    static final byte SEEN = 1;
    static final byte SENT = 2;
    /** the record's fingerprint was looked up in this snapshot */
    static final byte CHECKED = 4;

    private long[] hashes;
    private byte[] marks;
    private int size;

    SnapshotKeys() {
        this(0);
    }

    /** Sized for {@code expected} keys (the records the store holds: a snapshot names about as many). */
    SnapshotKeys(long expected) {
        int capacity = 1 << 12;
        while (capacity < (1 << 30) && capacity * 3L < expected * 4L + 4) {
            capacity <<= 1;
        }
        hashes = new long[capacity];
        marks = new byte[capacity];
    }

    /** A hash of a key (FNV-1a over its chars, then the MurmurHash3 finaliser); never 0. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** Adds a mark to a key's; the marks it had before. */
    synchronized byte mark(long hash, byte mark) {
        int slot = slot(hash);
        byte before = marks[slot];
        if (hashes[slot] == 0) {
            hashes[slot] = hash;
            if (++size * 4L > hashes.length * 3L) {
                marks[slot] = mark;
                grow();
                return 0;
            }
        }
        marks[slot] = (byte) (before | mark);
        return before;
    }

    synchronized boolean has(long hash, byte mark) {
        int slot = slot(hash);
        return hashes[slot] != 0 && (marks[slot] & mark) != 0;
    }

    synchronized int size() {
        return size;
    }

    private int slot(long hash) {
        int mask = hashes.length - 1;
        int slot = (int) (hash ^ (hash >>> 32)) & mask;
        while (hashes[slot] != 0 && hashes[slot] != hash) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldHashes = hashes;
        byte[] oldMarks = marks;
        hashes = new long[oldHashes.length * 2];
        marks = new byte[oldMarks.length * 2];
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                int slot = slot(oldHashes[i]);
                hashes[slot] = oldHashes[i];
                marks[slot] = oldMarks[i];
            }
        }
    }
}
