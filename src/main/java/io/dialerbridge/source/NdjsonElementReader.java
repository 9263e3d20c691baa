package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** One JSON object per line; blank lines are skipped. */
final class NdjsonElementReader extends ElementReader {

    private final BufferedReader in;
    private long lineNumber;

    NdjsonElementReader(FileOrigin origin) throws IOException {
        super(origin);
        this.in = Files.newBufferedReader(origin.path(), StandardCharsets.UTF_8);
    }

    @Override
    protected Element readNext() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (!line.isBlank()) {
                return parse(line);
            }
        }
        return null;
    }

    private Element parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node instanceof ObjectNode object) {
                return origin.element(lineNumber, object, line);
            }
            return origin.unreadable(lineNumber, line, "error.malformed_element",
                    "line " + lineNumber + " is JSON but not an object");
        } catch (JacksonException e) {
            return origin.unreadable(lineNumber, line, "error.malformed_json",
                    "line " + lineNumber + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
