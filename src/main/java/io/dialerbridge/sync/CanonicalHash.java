package io.dialerbridge.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Iterator;

/**
 * The 128-bit fingerprint of a JSON value's canonical form, worked out without building its text: the
 * canonical form (object keys sorted, numbers and text kept apart, decimals by their exact digits) is
 * written as bytes into a buffer kept by the thread, and hashed with MurmurHash3 (x64, 128 bits).
 *
 * <p>Why not SHA-256, used before: a fingerprint tells whether a record's values changed since the dialer
 * accepted them, compared only with that same record's earlier fingerprint; no one gains by forging a
 * collision (whoever writes the CRM's rows can send any value anyway). A 128-bit hash of good mixing makes an
 * accidental collision between two values of one record about 1 in 10<sup>38</sup>, and costs a fraction of
 * SHA-256 on the reading thread (docs/BENCHMARKS.md, "Fingerprints").
 *
 * <p>The byte form is unambiguous: structure is written as ASCII marks, a char below 0x80 as its byte, any
 * other char as {@code 0xFF} and its two bytes, so two different canonical forms never give the same bytes.
 */
final class CanonicalHash {

    private byte[] buffer = new byte[512];
    private int length;

    private static final ThreadLocal<CanonicalHash> BY_THREAD = ThreadLocal.withInitial(CanonicalHash::new);

    /** The thread's writer, emptied. */
    static CanonicalHash start() {
        CanonicalHash hash = BY_THREAD.get();
        hash.length = 0;
        return hash;
    }

    CanonicalHash value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            ascii("null");
        } else if (node.isObject()) {
            int count = node.size();
            String[] names = new String[count];
            Iterator<String> it = node.fieldNames();
            for (int i = 0; i < count; i++) {
                names[i] = it.next();
            }
            if (count > 1) {
                Arrays.sort(names);
            }
            put('{');
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    put(',');
                }
                quoted(names[i]).put(':');
                value(node.get(names[i]));
            }
            put('}');
        } else if (node.isArray()) {
            put('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    put(',');
                }
                value(node.get(i));
            }
            put(']');
        } else if (node.isTextual()) {
            quoted(node.textValue());
        } else if (node.isNumber() || node.isBoolean()) {
            ascii(node.asText());
        } else {
            quoted(node.toString());
        }
        return this;
    }

    /** A separator between the parts of a fingerprint (never written by {@link #value}). */
    CanonicalHash separator() {
        return put(0);
    }

    /** Bytes written before (the canonical form of the request-level values, worked out once a scope). */
    CanonicalHash bytes(byte[] more) {
        ensure(more.length);
        System.arraycopy(more, 0, buffer, length, more.length);
        length += more.length;
        return this;
    }

    /** The bytes written so far (a copy). */
    byte[] written() {
        return Arrays.copyOf(buffer, length);
    }

    /** The 16-byte fingerprint of what was written. */
    byte[] fingerprint() {
        return murmur3x64x128(buffer, length);
    }

    private CanonicalHash quoted(String text) {
        put('"');
        ensure(text.length() * 3 + 1);
        byte[] out = buffer;
        int at = length;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    out[at++] = '\\';
                }
                out[at++] = (byte) c;
            } else {
                out[at++] = (byte) 0xFF;
                out[at++] = (byte) (c >>> 8);
                out[at++] = (byte) c;
            }
        }
        length = at;
        return put('"');
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    private CanonicalHash put(int b) {
        ensure(1);
        buffer[length++] = (byte) b;
        return this;
    }

    private void ensure(int more) {
        // a quoted char may take two bytes more than one: room for the escape and the closing quote too
        if (length + more + 2 > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more + 2));
        }
    }

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    /** MurmurHash3 x64 128 (Austin Appleby's public-domain design), seed 0, as 16 bytes little-endian (h1, h2). */
    static byte[] murmur3x64x128(byte[] data, int length) {
        long h1 = 0;
        long h2 = 0;
        int blocks = length >>> 4;
        for (int b = 0; b < blocks; b++) {
            int at = b << 4;
            long k1 = longAt(data, at);
            long k2 = longAt(data, at + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks << 4;
        int rest = length & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = rest - 1; i >= 8; i--) {
            k2 = (k2 << 8) | (data[tail + i] & 0xFFL);
        }
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
            k1 = (k1 << 8) | (data[tail + i] & 0xFFL);
        }
        if (rest > 8) {
            h2 ^= mixK2(k2);
        }
        if (rest > 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (h1 >>> (8 * i));
            out[8 + i] = (byte) (h2 >>> (8 * i));
        }
        return out;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long longAt(byte[] data, int at) {
        return (data[at] & 0xFFL) | (data[at + 1] & 0xFFL) << 8 | (data[at + 2] & 0xFFL) << 16
                | (data[at + 3] & 0xFFL) << 24 | (data[at + 4] & 0xFFL) << 32 | (data[at + 5] & 0xFFL) << 40
                | (data[at + 6] & 0xFFL) << 48 | (data[at + 7] & 0xFFL) << 56;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
