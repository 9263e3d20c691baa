package io.dialerbridge.element;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigInteger;

/**
 * A dialer project id, checked: VCC Live's {@code projectid} is an integer, and the bridge takes only a
 * positive one, given as a JSON integer number or as a string of ASCII digits (spaces around it are
 * trimmed; leading zeros are dropped, so {@code "022"} is project 22), no larger than
 * {@value #MAX}. Anything else (a sign, a decimal point, letters, {@code /}, {@code ?}, {@code %},
 * {@code ..}, a boolean, an empty string) is refused with {@code error.wrong_projectid} and a reason that
 * quotes the value, before the value is put into a URL or a file name. The one check of a project id:
 * the Kafka value and header, {@code kafka.default-project}, the inbox folder, {@code --project} and
 * replay all come here.
 */
public final class ProjectId {

    /** The largest project id taken: the largest signed 64-bit integer. */
    public static final long MAX = Long.MAX_VALUE;

    /** The error code of a project id that is not a positive whole number. */
    public static final String WRONG = "error.wrong_projectid";

    private ProjectId() {
    }

    /** A project id that is not a positive whole number; its message quotes the value. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The canonical project id (decimal digits, no leading zero) of a text, or {@link Invalid}. */
    public static String parse(String text) {
        if (text == null) {
            throw new Invalid("projectid is missing");
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.length() > 40 || !trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Invalid(reason(TextNode.valueOf(text).toString()));
        }
        BigInteger value = new BigInteger(trimmed);
        if (value.signum() <= 0 || value.bitLength() > 63) {
            throw new Invalid(reason(TextNode.valueOf(text).toString()));
        }
        return value.toString();
    }

    /**
     * The canonical project id of a JSON value: an integer number, or a string that {@link #parse} takes;
     * {@link Invalid} for anything else (a decimal, a boolean, an object, an array, a string of other characters).
     */
    public static String of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new Invalid("projectid is missing");
        }
        if (node.isTextual()) {
            return parse(node.textValue());
        }
        if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            if (value.signum() > 0 && value.bitLength() <= 63) {
                return value.toString();
            }
        }
        String shown = node.toString();
        throw new Invalid(reason(shown.length() > 100 ? shown.substring(0, 100) + "..." : shown));
    }

    /**
     * The canonical project id, or null when the text is not one. Called for every Kafka record (its
     * projectid header, mostly absent): an absent or blank text is answered without building an
     * {@link Invalid}, whose stack trace cost more than the rest of reading the record.
     */
    public static String orNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return parse(text);
        } catch (Invalid e) {
            return null;
        }
    }

    private static String reason(String shown) {
        if (shown.length() > 102) {
            shown = shown.substring(0, 100) + "...\"";
        }
        return "projectid " + shown + " is not a positive whole number (a JSON integer, or a string of the digits 0-9, "
                + "at most " + MAX + ")";
    }
}
