package io.dialerbridge.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 4180 records read as bytes, before any decoding: quotes, delimiters, CR and LF are ASCII and never
 * part of a multi-byte UTF-8 sequence, so a record is delimited even when its cells are not valid
 * UTF-8, and every byte of a cell is kept as it was (CR LF inside a quoted cell stays CR LF). A
 * record ends at an unquoted LF, CR LF or CR; a leading byte order mark is skipped (a UTF-16 one is
 * noted: such a file is not UTF-8). A record longer than the bound is consumed without being held.
 *
 * <p>Cells are separated by commas, or by the delimiter the first record (the header) shows: a header
 * without an unquoted comma but with semicolons (what a spreadsheet writes where the comma is the decimal
 * separator) or tabs is read with that delimiter, the more frequent of the two ({@link #delimiter()}).
 * Column names never hold those characters, so the header tells them apart.
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

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long line = 1;
    private final String utf16;
    private final byte delimiter;

    /** Records whose delimiter the first record shows. */
    CsvRecords(InputStream in, int maxBytes) throws IOException {
        this(in, maxBytes, (char) 0);
    }

    /** Records separated by {@code delimiter} (0: the one the first record shows). */
    CsvRecords(InputStream in, int maxBytes, char delimiter) throws IOException {
        this.in = in;
        this.maxBytes = maxBytes;
        while ((limit < 3 || (limit < buffer.length && !hasLineEnd())) && fill()) {
            // a byte order mark takes three bytes; the delimiter is read from the whole first line
        }
        if (limit >= 3 && (buffer[0] & 0xff) == 0xEF && (buffer[1] & 0xff) == 0xBB && (buffer[2] & 0xff) == 0xBF) {
            position = 3;
        }
        int first = limit >= 2 ? buffer[0] & 0xff : -1;
        int second = limit >= 2 ? buffer[1] & 0xff : -1;
        this.utf16 = first == 0xFF && second == 0xFE ? "FF FE (UTF-16, little-endian)"
                : first == 0xFE && second == 0xFF ? "FE FF (UTF-16, big-endian)" : null;
        this.delimiter = (byte) (delimiter != 0 ? delimiter : headerDelimiter());
    }

    /** The delimiter of the first record in the buffer: a comma unless it has none and has semicolons or tabs. */
    private char headerDelimiter() {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = position; i < limit; i++) {
            int b = buffer[i] & 0xff;
            if (b == '"') {
                quoted = !quoted;
            } else if (!quoted && (b == '\n' || b == '\r')) {
                break;
            } else if (!quoted) {
                commas += b == ',' ? 1 : 0;
                semicolons += b == ';' ? 1 : 0;
                tabs += b == '\t' ? 1 : 0;
            }
        }
        if (commas > 0 || semicolons + tabs == 0) {
            return ',';
        }
        return semicolons >= tabs ? ';' : '\t';
    }

    private boolean hasLineEnd() {
        for (int i = position; i < limit; i++) {
            if (buffer[i] == '\n' || buffer[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    /** The byte between two cells of a record: {@code ,}, {@code ;} or a tab. */
    char delimiter() {
        return (char) delimiter;
    }

    /** The UTF-16 byte order mark the stream starts with, in words; null when it starts with none. */
    String utf16ByteOrderMark() {
        return utf16;
    }

    /** The next record, or null at the end of the stream. */
    Record next() throws IOException {
        int b = read();
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
        for (;; b = read()) {
            if (b < 0) {
                if (quoted && error == null) {
                    error = "a quoted cell opened on line " + start + " is not closed before the end of the file";
                }
                endCell(cells, cell, record);
                break;
            }
            if (quoted) {
                if (b == '"') {
                    if (peek() == '"') {
                        read();
                        record.add(b);
                        cell.add(b);
                    } else {
                        quoted = false;
                        closedQuote = true;
                    }
                } else {
                    if (b == '\n' || (b == '\r' && peek() != '\n')) {
                        line++;
                    }
                    cell.add(b);
                }
            } else if (b == delimiter) {
                endCell(cells, cell, record);
                closedQuote = false;
            } else if (b == '\n' || b == '\r') {
                if (b == '\r' && peek() == '\n') {
                    read();
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

    private int read() throws IOException {
        return position < limit || fill() ? buffer[position++] & 0xff : -1;
    }

    private int peek() throws IOException {
        return position < limit || fill() ? buffer[position] & 0xff : -1;
    }

    /** Reads more bytes after those not yet consumed; false at the end of the stream. */
    private boolean fill() throws IOException {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n > 0;
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
