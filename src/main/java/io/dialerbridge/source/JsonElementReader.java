package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.OperationRules;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;

/**
 * A JSON file: either an array of elements, or a whole request body as the API takes it
 * ({@code {"elements":[...],"default":{...}}}), whose {@code default} applies to its elements (for
 * modify-dispositions the request-level object is {@code disposition}: see
 * {@link OperationRules#requestDefaultsKey()}).
 * The elements are streamed; the {@code default} object is found in a first, cheap pass so it may
 * stand before or after the elements. A file that is not valid UTF-8 is rejected whole, as one
 * element holding its bytes (the reader cannot delimit elements it cannot decode); an empty file has
 * no elements; an element longer than the bound is skipped token by token and rejected. Elements are
 * read by {@link StrictJson}: one with a key twice is rejected on its own and the file goes on. A key
 * twice in the file's top-level object (two {@code elements}), or anything after the top-level value,
 * is a syntax error at its line, reported once after the elements before it.
 */
final class JsonElementReader extends ElementReader {

    private final JsonParser parser;
    private final ObjectNode fileDefaults;
    private Element undecodable;
    private boolean brokenOff;
    private long start;
    /** the keys of the top-level object read so far; null when the file is an array */
    private Set<String> topLevelKeys;

    JsonElementReader(FileOrigin origin) throws IOException {
        super(origin);
        long invalidLine = StrictUtf8.firstInvalidLine(origin.open());
        if (invalidLine > 0) {
            this.undecodable = undecodable(invalidLine);
            this.fileDefaults = null;
            this.parser = null;
            return;
        }
        this.fileDefaults = findDefaults();
        this.parser = textParser();
        positionAtElements();
    }

    /**
     * The file as UTF-8 text (already checked to be valid), after its byte order mark if any: read from
     * bytes, Jackson would guess UTF-16 or UTF-32 from leading zero bytes.
     */
    private Reader utf8Text() throws IOException {
        BufferedReader text = new BufferedReader(new InputStreamReader(origin.open(),
                StandardCharsets.UTF_8));
        text.mark(1);
        if (text.read() != '\uFEFF') {
            text.reset();
        }
        return text;
    }

    /**
     * A parser of the file's text. It does not look for a key twice itself: that would end the file at
     * the first such element; each element is checked as it is read (and the top-level keys here).
     */
    private JsonParser textParser() throws IOException {
        JsonParser text = JSON.getFactory().createParser(utf8Text());
        text.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return text;
    }

    private Element undecodable(long line) throws IOException {
        long size = origin.size();
        String message = "the file is not valid UTF-8 (first at line " + line + "), so none of its elements is read";
        if (size > origin.maxElementBytes()) {
            return origin.unreadable(line, null, "error.malformed_encoding", message + "; its " + size
                    + " bytes are too many to keep in a dead letter: the file itself is kept in done/");
        }
        try (InputStream in = origin.open()) {
            return origin.undecodable(line, in.readAllBytes(), message);
        }
    }

    /**
     * The first, cheap pass over a request-body file: its request-level object, if any; a top-level key the
     * operation does not take ({@code default} in a modify-dispositions file, a top-level {@code avoid_in_call})
     * refuses the file before any element is read, never ignored: its values would not reach the dialer.
     */
    private ObjectNode findDefaults() throws IOException {
        String defaultsKey = origin.operation().rules().requestDefaultsKey();
        ObjectNode defaults = null;
        String unknown = null;
        try (JsonParser scan = textParser()) {
            if (scan.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (scan.nextToken() == JsonToken.FIELD_NAME) {
                String name = scan.currentName();
                JsonToken value = scan.nextToken();
                if (defaultsKey != null && defaultsKey.equals(name) && value == JsonToken.START_OBJECT && defaults == null) {
                    // a value inside the file: what follows it is not trailing content
                    defaults = (ObjectNode) JSON.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(scan);
                    continue;
                }
                if (!"elements".equals(name) && !name.equals(defaultsKey) && unknown == null) {
                    unknown = name;
                }
                scan.skipChildren();
            }
        } catch (JacksonException e) {
            return null; // reported, with its line, while streaming the elements
        }
        if (unknown != null) {
            throw new UnreadableFileException("the JSON file's top-level key '" + unknown + "' is not one "
                    + origin.operation().id() + " takes: the object holds \"elements\""
                    + (defaultsKey == null ? "" : " and \"" + defaultsKey + "\" (the request-level values)")
                    + ", so nothing of the file is sent (docs/OPERATIONS.md)");
        }
        return defaults;
    }

    private void positionAtElements() throws IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.START_ARRAY) {
                return;
            }
            if (first == JsonToken.START_OBJECT) {
                topLevelKeys = new HashSet<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    if (!topLevelKeys.add(name)) {
                        parser.close();
                        throw new UnreadableFileException("not valid JSON: Duplicate field '" + name + "' at line "
                                + parser.currentTokenLocation().getLineNr());
                    }
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
        if (undecodable != null) {
            Element whole = undecodable;
            undecodable = null;
            brokenOff = true;
            return whole;
        }
        if (brokenOff) {
            return null;
        }
        long line = -1;
        try {
            JsonToken token = parser.nextToken();
            line = parser.currentTokenLocation().getLineNr();
            if (token == null) {
                return null;
            }
            if (token == JsonToken.END_ARRAY) {
                brokenOff = true;
                return afterTheElements();
            }
            TokenBuffer value = readBounded();
            if (value == null) {
                return origin.tooLarge(line, parser.currentLocation().getCharOffset() - start, "characters", "the element");
            }
            JsonNode node;
            try (JsonParser buffered = value.asParser(parser)) {
                node = JSON.readTree(buffered);
            } catch (JacksonException e) {
                // read whole already (a key twice): only this element is refused, the file goes on
                return origin.unreadable(line, text(value), "error.malformed_json", "the element at line " + line
                        + " is not valid JSON: " + e.getOriginalMessage());
            }
            String raw = JSON.writeValueAsString(node);
            if (node instanceof ObjectNode object) {
                return origin.element(line, object, raw).withDefaults(fileDefaults);
            }
            return origin.unreadable(line, raw, "error.malformed_element", "line " + line + " holds JSON that is not an object");
        } catch (JacksonException e) {
            brokenOff = true;
            return syntaxError(e.getLocation() != null ? e.getLocation().getLineNr() : line, e.getOriginalMessage());
        }
    }

    /**
     * After the elements array: the rest of the top-level object (no key twice), then the end of the
     * file. Null when that is all; otherwise the syntax error, with its line.
     */
    private Element afterTheElements() throws IOException {
        if (topLevelKeys != null) {
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!topLevelKeys.add(name)) {
                    return syntaxError(parser.currentTokenLocation().getLineNr(), "Duplicate field '" + name + "'");
                }
                parser.nextToken();
                parser.skipChildren();
            }
            if (token != JsonToken.END_OBJECT) {
                return syntaxError(parser.currentTokenLocation().getLineNr(), "the top-level object is not closed");
            }
        }
        JsonToken after = parser.nextToken();
        if (after != null) {
            return syntaxError(parser.currentTokenLocation().getLineNr(), "content after the end of the top-level "
                    + (topLevelKeys != null ? "object" : "array") + " (" + after.asString() + ")");
        }
        return null;
    }

    private Element syntaxError(long line, String what) {
        return origin.unreadable(line, null, "error.malformed_json", "JSON syntax error at line " + line + ": "
                + what + "; the rest of the file after this point could not be read");
    }

    /** The value's tokens as JSON text, as they were (a key twice too): the raw text of a refused element. */
    private static String text(TokenBuffer value) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.getFactory().createGenerator(text)) {
            value.serialize(out);
        }
        return text.toString();
    }

    /** The value at the current token, or null (having skipped it) when it has more characters than the bound. */
    private TokenBuffer readBounded() throws IOException {
        start = parser.currentTokenLocation().getCharOffset();
        TokenBuffer copy = new TokenBuffer(parser);
        int depth = 0;
        boolean tooLarge = false;
        do {
            JsonToken token = parser.currentToken();
            depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
            if (!tooLarge) {
                copy.copyCurrentEvent(parser);
                tooLarge = parser.currentLocation().getCharOffset() - start > origin.maxElementBytes();
            }
        } while (depth > 0 && parser.nextToken() != null);
        if (tooLarge) {
            copy.close();
            return null;
        }
        return copy;
    }

    @Override
    public void close() throws IOException {
        if (parser != null) {
            parser.close();
        }
    }
}
