package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.output.RunReport;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;

/**
 * Which elements of a file in progress are accounted for (accepted, or dead-lettered), so that after
 * a crash the file resumes where it stopped without re-sending any answered batch. One file per
 * dropped file under {@code $BRIDGE_HOME/state/}, named by the file's content key and name; one line per
 * answered batch: {@code A <line> <line>...} for accepted elements, {@code D <error> <line>...} for
 * dead-lettered ones. Lines are appended after the dead letters are on disk; the journal is deleted
 * when the file moves to done/.
 */
public final class FileJournal implements Closeable {

    private final Path path;
    private final boolean fsync;
    private final BitSet accounted = new BitSet();
    private final RunReport replayed = new RunReport();
    private FileChannel out;

    private FileJournal(Path path, boolean fsync) {
        this.path = path;
        this.fsync = fsync;
    }

    public static FileJournal open(Path stateDir, String fileKey, boolean fsync) throws IOException {
        Files.createDirectories(stateDir);
        FileJournal journal = new FileJournal(stateDir.resolve(fileKey + ".journal"), fsync);
        if (Files.exists(journal.path)) {
            journal.replay(Files.readAllLines(journal.path, StandardCharsets.UTF_8));
        }
        journal.out = FileChannel.open(journal.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return journal;
    }

    private void replay(List<String> lines) {
        for (String line : lines) {
            String[] parts = line.trim().split(" ");
            boolean accepted = parts[0].equals("A");
            boolean deadLettered = parts[0].equals("D") && parts.length >= 2;
            if (!accepted && !deadLettered) {
                continue; // a torn last line from a crash: its batch was not accounted for
            }
            int first = accepted ? 1 : 2;
            for (int i = first; i < parts.length; i++) {
                int lineNumber = Integer.parseInt(parts[i]);
                if (!accounted.get(lineNumber)) {
                    accounted.set(lineNumber);
                    if (accepted) {
                        replayed.accepted(1);
                    } else {
                        replayed.deadLettered(parts[1], 1);
                    }
                }
            }
        }
    }

    /** Whether the element on this line was accounted for before a restart. */
    public boolean isAccounted(long line) {
        return accounted.get((int) line);
    }

    /** What was accounted for before a restart. */
    public RunReport replayed() {
        return replayed;
    }

    public synchronized void accepted(List<Element> elements) throws IOException {
        append("A", elements);
    }

    public synchronized void deadLettered(String error, List<Element> elements) throws IOException {
        append("D " + error.replace(' ', '_'), elements);
    }

    private void append(String prefix, List<Element> elements) throws IOException {
        if (elements.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(prefix);
        for (Element element : elements) {
            line.append(' ').append(element.source().line());
        }
        line.append('\n');
        ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        if (fsync) {
            out.force(false);
        }
    }

    /** The file is done: its journal is no longer needed. */
    public synchronized void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null && out.isOpen()) {
            out.close();
        }
    }
}
