package io.dialerbridge.output;

import java.nio.file.Path;

/**
 * A value (a project id, an operation) made safe to be a part of one file's name: every character other
 * than ASCII letters, digits, {@code -} and {@code _} becomes {@code _}, so no path separator, no
 * {@code ..}, no drive letter or control character gets through, and an empty value becomes {@code _}.
 * Project ids are checked long before (io.dialerbridge.element.ProjectId); this is the defence behind
 * that check, for every file name the outputs build from a value (dead letters, reconcile reports).
 */
public final class FileNamePart {

    private FileNamePart() {
    }

    /** The value with every unsafe character replaced by {@code _}; {@code whenNull} (itself made safe) for null. */
    public static String of(String value, String whenNull) {
        String text = value == null ? whenNull : value;
        if (text == null || text.isEmpty()) {
            return "_";
        }
        StringBuilder safe = new StringBuilder(text.length());
        text.chars().forEach(c -> safe.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' ? (char) c : '_'));
        return safe.toString();
    }

    /**
     * {@code directory/name}, refused (IllegalArgumentException) unless it is a file directly in the directory:
     * the last check before a file is written.
     */
    public static Path in(Path directory, String name) {
        Path file = directory.resolve(name).normalize();
        if (!directory.normalize().equals(file.getParent()) || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("refused to write " + name + " outside " + directory);
        }
        return file;
    }
}
