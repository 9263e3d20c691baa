package io.dialerbridge.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that refuses invalid bytes instead of replacing them: a value never reaches the
 * dialer altered, and the bytes that cannot be read are kept for the dead letter.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The text of these bytes, or {@link InvalidUtf8} saying where the first invalid byte is. */
    public static String decode(byte[] bytes) throws InvalidUtf8 {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder().decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidUtf8(in.position(), bytes[in.position()]);
        }
    }

    /** The line (from 1) of a stream's first invalid UTF-8 byte, or 0 when it is all valid; streams it, and closes it. */
    static long firstInvalidLine(InputStream bytes) throws IOException {
        CharsetDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1;
        try (ReadableByteChannel channel = Channels.newChannel(bytes)) {
            for (;;) {
                boolean end = channel.read(in) < 0;
                in.flip();
                for (;;) {
                    CoderResult result = decoder.decode(in, out, end);
                    line += newlines(out);
                    if (result.isError()) {
                        return line;
                    }
                    if (result.isUnderflow()) {
                        break;
                    }
                }
                in.compact();
                if (end) {
                    return 0;
                }
            }
        }
    }

    private static int newlines(CharBuffer decoded) {
        decoded.flip();
        int count = 0;
        while (decoded.hasRemaining()) {
            if (decoded.get() == '\n') {
                count++;
            }
        }
        decoded.clear();
        return count;
    }

    /** Bytes that are not valid UTF-8. */
    public static final class InvalidUtf8 extends Exception {
        /** offset counts from 0; the message counts from 1, as a reader of the line would. */
        public InvalidUtf8(int offset, byte first) {
            super(String.format("byte %d (0x%02x) does not start a valid UTF-8 sequence", offset + 1, first & 0xff));
        }
    }
}
