package io.dialerbridge.source;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the readers: whatever the bytes, a reader either refuses the file as a whole
 * ({@link ElementReader.UnreadableFileException}) or yields at most one element per line (per element
 * for JSON) and stops; every element is valid with a body, or rejected with an error; rejected bytes
 * that are not UTF-8 are kept. In {@code mvn verify} each target runs on its seed corpus
 * ({@code src/test/resources/io/dialerbridge/source/ReaderFuzzTestInputs/<target>/}); to fuzz one for
 * longer: {@code JAZZER_FUZZ=1 mvn -q test -Dtest='ReaderFuzzTest#ndjson'} (new findings land in
 * {@code .cifuzz-corpus/}; turn each into a named example test).
 */
class ReaderFuzzTest {

    private static final int MAX_BYTES = 4096;

    @FuzzTest(maxDuration = "5m")
    void ndjson(byte[] content) throws IOException {
        check("fuzz.ndjson", content, lineBreaks(content) + 1);
    }

    @FuzzTest(maxDuration = "5m")
    void csv(byte[] content) throws IOException {
        check("fuzz.csv", content, lineBreaks(content) + 1);
    }

    @FuzzTest(maxDuration = "5m")
    void json(byte[] content) throws IOException {
        check("fuzz.json", content, content.length + 1);
    }

    private static void check(String name, byte[] content, long atMost) throws IOException {
        Path file = Files.createTempFile("fuzz-", "-" + name);
        try {
            Files.write(file, content);
            List<Element> elements = new ArrayList<>();
            try (ElementReader reader = ElementReader.open(file, name, "22", Operation.MODIFY_RECORDS, MAX_BYTES)) {
                while (reader.hasNext()) {
                    elements.add(reader.next());
                    assertThat((long) elements.size()).as("the reader stops").isLessThanOrEqualTo(atMost);
                }
            } catch (ElementReader.UnreadableFileException refusedWhole) {
                assertThat(refusedWhole.getMessage()).isNotBlank();
                return;
            }
            for (Element element : elements) {
                if (element.isValid()) {
                    assertThat(element.body()).isNotNull();
                } else {
                    assertThat(element.rejection().error()).startsWith("error.");
                    assertThat(element.rejection().message()).isNotBlank();
                }
                if (element.rawBytes() != null) {
                    assertThat(element.rejection().error()).isEqualTo("error.malformed_encoding");
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long lineBreaks(byte[] content) {
        long count = 0;
        for (byte b : content) {
            if (b == '\n' || b == '\r') {
                count++;
            }
        }
        return count;
    }
}
