package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.OperationRules;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;

/**
 * A JSON file: either an array of elements, or a whole request body as the API takes it
 * ({@code {"elements":[...],"default":{...}}}), whose {@code default} applies to its elements (for
 * modify-dispositions the request-level object is {@code disposition}: see
 * {@link OperationRules#requestDefaultsKey()}).
 * The elements are streamed; the {@code default} object is found in a first, cheap pass so it may
 * stand before or after the elements.
 */
final class JsonElementReader extends ElementReader {

    private final JsonParser parser;
    private final ObjectNode fileDefaults;
    private boolean brokenOff;

    JsonElementReader(FileOrigin origin) throws IOException {
        super(origin);
        this.fileDefaults = findDefaults();
        this.parser = JSON.getFactory().createParser(Files.newInputStream(origin.path()));
        positionAtElements();
    }

    private ObjectNode findDefaults() throws IOException {
        String defaultsKey = origin.operation().rules().requestDefaultsKey();
        if (defaultsKey == null) {
            return null;
        }
        try (JsonParser scan = JSON.getFactory().createParser(Files.newInputStream(origin.path()))) {
            if (scan.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (scan.nextToken() == JsonToken.FIELD_NAME) {
                String name = scan.currentName();
                JsonToken value = scan.nextToken();
                if (defaultsKey.equals(name) && value == JsonToken.START_OBJECT) {
                    return (ObjectNode) scan.readValueAsTree();
                }
                scan.skipChildren();
            }
            return null;
        } catch (JacksonException e) {
            return null; // reported, with its line, while streaming the elements
        }
    }

    private void positionAtElements() throws IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                return;
            }
            if (first == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("elements".equals(name) && value == JsonToken.START_ARRAY) {
                        return;
                    }
                    parser.skipChildren();
                }
            }
        } catch (JacksonException e) {
            parser.close();
            throw new UnreadableFileException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        parser.close();
        throw new UnreadableFileException(
                "a JSON file must hold an array of elements or an object with an \"elements\" array");
    }

    @Override
    protected Element readNext() throws IOException {
        if (brokenOff) {
            return null;
        }
        long line = -1;
        try {
            JsonToken token = parser.nextToken();
            line = parser.currentTokenLocation().getLineNr();
            if (token == null || token == JsonToken.END_ARRAY) {
                return null;
            }
            JsonNode node = parser.readValueAsTree();
            String raw = JSON.writeValueAsString(node);
            if (node instanceof ObjectNode object) {
                return origin.element(line, object, raw).withDefaults(fileDefaults);
            }
            return origin.unreadable(line, raw, "error.malformed_element", "line " + line + " holds JSON that is not an object");
        } catch (JacksonException e) {
            brokenOff = true;
            long at = e.getLocation() != null ? e.getLocation().getLineNr() : line;
            return origin.unreadable(at, null, "error.malformed_json", "JSON syntax error at line " + at + ": "
                    + e.getOriginalMessage() + "; the rest of the file after this point could not be read");
        }
    }


    @Override
    public void close() throws IOException {
        parser.close();
    }
}
