package io.dialerbridge.output;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A file of lines that only grows: the one durable append of the bridge (dead letters, results, the
 * add-records journal, the file journals). Each {@link #append} writes whole lines and, with
 * {@code fsync}, forces them to disk before it returns.
 *
 * <p>A crash in the middle of a write leaves a torn last line (no {@code '\n'} at the end). Opening the
 * file cuts that tail off: the write never returned, so nothing relied on it, and the next line
 * appended starts on a line of its own instead of finishing the torn one.
 */
public final class AppendOnlyFile implements Closeable {

    private final Path path;
    private final FileChannel out;
    private final boolean fsync;

    private AppendOnlyFile(Path path, FileChannel out, boolean fsync) {
        this.path = path;
        this.out = out;
        this.fsync = fsync;
    }

    /** Opens (creating the file and its folders when needed), cutting a torn last line off. */
    public static AppendOnlyFile open(Path path, boolean fsync) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long whole = endOfLastLine(file);
            if (whole < file.size()) {
                file.truncate(whole);
                file.force(false);
            }
        }
        return new AppendOnlyFile(path, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND), fsync);
    }

    /** The whole lines in the file (without their {@code '\n'}). */
    public List<String> lines() throws IOException {
        return Files.readAllLines(path, StandardCharsets.UTF_8);
    }

    /** Appends one line; {@code line} must not contain {@code '\n'}. */
    public void append(String line) throws IOException {
        append(List.of(line));
    }

    /** Appends the lines in one write (and one force to disk). */
    public void append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        if (fsync) {
            out.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The length of the file up to and including its last {@code '\n'} (0 when it has none). */
    private static long endOfLastLine(FileChannel file) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(4096);
        long end = file.size();
        while (end > 0) {
            int length = (int) Math.min(block.capacity(), end);
            long start = end - length;
            block.clear().limit(length);
            while (block.hasRemaining()) {
                if (file.read(block, start + block.position()) < 0) {
                    break;
                }
            }
            for (int i = length - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}
