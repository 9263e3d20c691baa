package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;

/**
 * One JSON object per line, read by {@link StrictJson} (nothing after the object, no key twice, numbers
 * exact); blank lines are skipped. Each line is decoded strictly: a line that is not
 * valid UTF-8 is rejected with its bytes, and a line longer than the bound is rejected without being held.
 */
final class NdjsonElementReader extends ElementReader {

    private final ByteLines lines;

    NdjsonElementReader(FileOrigin origin) throws IOException {
        super(origin);
        this.lines = new ByteLines(origin.open(), origin.maxElementBytes());
    }

    @Override
    protected Element readNext() throws IOException {
        ByteLines.Line line;
        while ((line = lines.next()) != null) {
            long number = line.number();
            if (line.tooLarge()) {
                return origin.tooLarge(number, line.length(), "bytes", "the line");
            }
            String text;
            try {
                text = StrictUtf8.decode(line.bytes());
            } catch (StrictUtf8.InvalidUtf8 e) {
                return origin.undecodable(number, line.bytes(), "line " + number + " is not valid UTF-8: " + e.getMessage());
            }
            if (number == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (!text.isBlank()) {
                return parse(number, text);
            }
        }
        return null;
    }

    private Element parse(long number, String line) {
        try {
            JsonNode node = StrictJson.read(line);
            if (node instanceof ObjectNode object) {
                return origin.element(number, object, line);
            }
            return origin.unreadable(number, line, "error.malformed_element",
                    "line " + number + " is JSON but not an object");
        } catch (JacksonException e) {
            return origin.unreadable(number, line, "error.malformed_json",
                    "line " + number + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
