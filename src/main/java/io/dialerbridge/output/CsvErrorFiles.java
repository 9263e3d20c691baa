package io.dialerbridge.output;

import io.dialerbridge.element.Element;
import io.dialerbridge.source.ElementReader;
import org.apache.commons.csv.CSVFormat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For a CSV input, {@code <name>.errors.csv} in done/ beside its report: the input's header and the
 * row of every refused element, with two more columns, {@value #ERROR} and {@value #ERROR_MESSAGE}.
 * Corrected, it can be dropped straight back into the inbox: the reader ignores those two columns.
 * A source named by a relative path (the inbox's, or {@code send}'s) gets it under
 * {@code $BRIDGE_HOME/done/}; one named by an absolute path, beside the input.
 */
public final class CsvErrorFiles {

    public static final String ERROR = "error";
    public static final String ERROR_MESSAGE = "error_message";

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setTrim(false).get();

    private final Path done;
    private final Map<String, ErrorFile> bySource = new ConcurrentHashMap<>();

    public CsvErrorFiles(Path done) {
        this.done = done;
    }

    /**
     * A relative source name as a path that stays inside done/: normalised, and one that climbs out of it
     * ({@code send ../c/rel.csv}) keeps only its file name, as the results file does (Results.fileFor).
     */
    static Path insideDone(Path relative) {
        Path normalized = relative.normalize();
        return normalized.startsWith("..") || normalized.getFileName() == null ? relative.getFileName() : normalized;
    }

    /** The errors file of one input: where it goes and which of the input's columns it keeps. */
    private record ErrorFile(Path path, List<String> header, InputColumns columns) {
    }

    /** A source starts: a CSV input's header is noted for its errors file. */
    public void open(File input, String sourceName) throws IOException {
        String name = input.getName();
        InputColumns columns = InputColumns.of(input);
        if (columns == null) {
            return;
        }
        List<String> header = new ArrayList<>(columns.header());
        header.add(ERROR);
        header.add(ERROR_MESSAGE);
        Path source = Path.of(sourceName);
        Path folder = source.isAbsolute() ? source.getParent() : done.resolve(insideDone(source)).getParent();
        String base = name.substring(0, name.length() - ".csv".length());
        bySource.put(sourceName, new ErrorFile(folder.resolve(base + ".errors.csv"), header, columns));
    }

    /**
     * The columns of a CSV input that an output of its rows keeps (all but the {@value #ERROR} and
     * {@value #ERROR_MESSAGE} of a re-dropped errors file), their indexes, and the delimiter of its cells (an
     * output of its rows keeps it, so a spreadsheet opens it as it opened the input); null for another input or
     * an empty one.
     */
    record InputColumns(List<String> header, List<Integer> kept, int width, char delimiter) {

        static InputColumns of(File input) throws IOException {
            if (!input.getName().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return null;
            }
            List<String> columns = ElementReader.csvHeader(input.toPath());
            if (columns == null) {
                return null; // the reader refuses the file as a whole
            }
            List<String> header = new ArrayList<>();
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i);
                // a re-dropped errors file: its old error columns give way to the new ones
                if (!column.trim().equals(ERROR) && !column.trim().equals(ERROR_MESSAGE)) {
                    header.add(column);
                    kept.add(i);
                }
            }
            return new InputColumns(header, kept, columns.size(), ElementReader.csvDelimiter(input.toPath()));
        }

        /**
         * The kept values of an element's row (its raw CSV record), "" where the row is short; the cells of a
         * row longer than the header follow, so that the row stays as long as it was: dropped back unchanged
         * it is refused again, never sent without the cells the source had.
         */
        List<String> row(String raw) throws IOException {
            List<String> values = ElementReader.csvCells(raw, delimiter);
            List<String> row = new ArrayList<>();
            for (int index : kept) {
                row.add(index < values.size() ? values.get(index) : "");
            }
            for (int index = width; index < values.size(); index++) {
                row.add(values.get(index));
            }
            return row;
        }

        /** One record of an output of this input's rows, as a line with the input's delimiter. */
        String line(List<String> values) {
            return FORMAT.builder().setDelimiter(delimiter).get().format(values.toArray());
        }
    }

    /** Appends the rows of the refused elements of CSV inputs (after they are in the dead-letter output). */
    public void write(List<Element> rejected) throws IOException {
        for (Element element : rejected) {
            ErrorFile file = element.source().isFile() ? bySource.get(element.source().file()) : null;
            if (file == null) {
                continue;
            }
            List<String> row = file.columns().row(element.raw());
            row.add(element.rejection().error());
            row.add(element.rejection().message());
            boolean fresh = !Files.exists(file.path());
            try (AppendOnlyFile out = AppendOnlyFile.open(file.path(), false)) {
                if (fresh) {
                    out.append(file.columns().line(file.header()));
                }
                out.append(file.columns().line(row));
            }
        }
    }

    /** A source is finished. */
    public void close(String sourceName) {
        bySource.remove(sourceName);
    }
}
