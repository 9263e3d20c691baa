package io.dialerbridge.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a stream as bytes, not yet decoded (so invalid UTF-8 is seen per line): a line ends at
 * LF, CR LF or CR. A line longer than the bound is consumed without being held: only its length is kept.
 */
final class ByteLines implements Closeable {

    /** One line: its number (from 1), its bytes (null when longer than the bound) and its length. */
    record Line(long number, byte[] bytes, long length) {
        boolean tooLarge() {
            return bytes == null;
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long number;

    ByteLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        if (!fill()) {
            return null;
        }
        number++;
        byte[] line = new byte[64];
        long length = 0;
        while (fill()) {
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int count = position - start;
            if (length + count <= maxBytes) {
                if (length + count > line.length) {
                    line = Arrays.copyOf(line, (int) Math.min(maxBytes, Math.max(line.length * 2L, length + count)));
                }
                System.arraycopy(buffer, start, line, (int) length, count);
            }
            length += count;
            if (position < limit) {
                byte end = buffer[position++];
                if (end == '\r' && fill() && buffer[position] == '\n') {
                    position++;
                }
                break;
            }
        }
        return new Line(number, length <= maxBytes ? Arrays.copyOf(line, (int) length) : null, length);
    }

    private boolean fill() throws IOException {
        if (position < limit) {
            return true;
        }
        int n = in.read(buffer);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
