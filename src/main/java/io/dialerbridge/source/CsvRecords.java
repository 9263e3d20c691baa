package io.dialerbridge.source;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 4180 records read as bytes, before any decoding: quotes, commas, CR and LF are ASCII and never
 * part of a multi-byte UTF-8 sequence, so a record is delimited even when its cells are not valid
 * UTF-8, and every byte of a cell is kept as it was (CR LF inside a quoted cell stays CR LF). A
 * record ends at an unquoted LF, CR LF or CR; a leading byte order mark is skipped. A record longer
 * than the bound is consumed without being held.
 */
final class CsvRecords implements Closeable {

    /**
     * One record: the line it starts on, its cells and its bytes (both null when it is longer than the
     * bound), its length, and a syntax error (null when there is none).
     */
    record Record(long line, List<byte[]> cells, byte[] bytes, long length, String syntaxError) {
        boolean tooLarge() {
            return bytes == null;
        }
    }

    private final PushbackInputStream in;
    private final int maxBytes;
    private long line = 1;

    CsvRecords(InputStream in, int maxBytes) throws IOException {
        this.in = new PushbackInputStream(new BufferedInputStream(in, 1 << 16), 3);
        this.maxBytes = maxBytes;
        byte[] start = this.in.readNBytes(3);
        boolean bom = start.length == 3 && (start[0] & 0xff) == 0xEF && (start[1] & 0xff) == 0xBB
                && (start[2] & 0xff) == 0xBF;
        if (!bom) {
            this.in.unread(start);
        }
    }

    /** The next record, or null at the end of the stream. */
    Record next() throws IOException {
        int b = in.read();
        if (b < 0) {
            return null;
        }
        long start = line;
        Bytes record = new Bytes();
        Bytes cell = new Bytes();
        List<byte[]> cells = new ArrayList<>();
        String error = null;
        boolean quoted = false;
        boolean closedQuote = false;
        for (;; b = in.read()) {
            if (b < 0) {
                if (quoted && error == null) {
                    error = "a quoted cell opened on line " + start + " is not closed before the end of the file";
                }
                endCell(cells, cell, record);
                break;
            }
            if (quoted) {
                if (b == '"') {
                    int after = in.read();
                    if (after == '"') {
                        record.add(b);
                        cell.add(b);
                    } else {
                        quoted = false;
                        closedQuote = true;
                        unread(after);
                    }
                } else {
                    if (b == '\n' || (b == '\r' && peek() != '\n')) {
                        line++;
                    }
                    cell.add(b);
                }
            } else if (b == ',') {
                endCell(cells, cell, record);
                closedQuote = false;
            } else if (b == '\n' || b == '\r') {
                if (b == '\r' && peek() == '\n') {
                    in.read();
                }
                line++;
                endCell(cells, cell, record);
                break;
            } else if (b == '"' && cell.isEmpty() && !closedQuote) {
                quoted = true;
            } else {
                if (closedQuote && error == null) {
                    error = "line " + line + " has text after the closing quote of a cell";
                }
                cell.add(b);
            }
            record.add(b);
        }
        if (record.length > maxBytes) {
            return new Record(start, null, null, record.length, error);
        }
        return new Record(start, cells, record.take(), record.length, error);
    }

    /** Ends a cell; once the record is over the bound its cells are no longer kept. */
    private void endCell(List<byte[]> cells, Bytes cell, Bytes record) {
        byte[] bytes = cell.take();
        if (record.length <= maxBytes) {
            cells.add(bytes);
        }
    }

    private int peek() throws IOException {
        int b = in.read();
        unread(b);
        return b;
    }

    private void unread(int b) throws IOException {
        if (b >= 0) {
            in.unread(b);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** A growing byte array that stops holding bytes beyond the bound but keeps counting them. */
    private final class Bytes {
        private byte[] bytes = new byte[32];
        private int size;
        private long length;

        void add(int b) {
            length++;
            if (length > maxBytes) {
                return;
            }
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min((long) maxBytes, bytes.length * 2L));
            }
            bytes[size++] = (byte) b;
        }

        boolean isEmpty() {
            return length == 0;
        }

        byte[] take() {
            byte[] taken = Arrays.copyOf(bytes, size);
            size = 0;
            length = 0;
            return taken;
        }
    }
}
