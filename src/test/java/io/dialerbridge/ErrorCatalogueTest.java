package io.dialerbridge;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ERRORS.md documents every error code the code can write, once, and nothing else: the
 * {@code "error.…"} string literals of src/main/java (the bridge's own codes and, through the
 * sandbox, the API's) and the codes configured in {@code element-errors.*}.
 */
class ErrorCatalogueTest {

    private static final Pattern LITERAL = Pattern.compile("\"(error\\.[A-Za-z0-9_]*)\"");
    private static final Pattern CATALOGUED = Pattern.compile("`(error\\.[A-Za-z0-9_]+)`");

    /**
     * Codes the code builds from a literal prefix ({@code "error.wrong_" + key}): the codes each prefix
     * yields. A new prefix fails the test until its codes are listed here and in the catalogue.
     */
    private static final Map<String, Set<String>> BUILT = Map.of(
            "error.wrong_", Set.of("error.wrong_dispositionid", "error.wrong_userid", "error.wrong_from", "error.wrong_until"),
            "error.missing_", Set.of("error.missing_applicationId", "error.missing_campaignName", "error.missing_devicePath"),
            "error.gws_", Set.of("error.gws_missing_parameter", "error.gws_invalid_state", "error.gws_forbidden",
                    "error.gws_internal_error", "error.gws_no_permission", "error.gws_not_found", "error.gws_invalid_value",
                    "error.gws_not_authenticated", "error.gws_status_N"));

    @Test
    void every_code_the_bridge_writes_is_catalogued_once_and_the_catalogue_lists_nothing_else() throws IOException {
        Set<String> literals = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher m = LITERAL.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    (m.group(1).endsWith("_") ? prefixes : literals).add(m.group(1));
                }
            }
        }
        literals.addAll(configuredElementErrors());
        assertThat(prefixes).as("codes built from a prefix (list what each yields in BUILT)").isEqualTo(BUILT.keySet());
        Set<String> written = new TreeSet<>(literals);
        BUILT.values().forEach(written::addAll);

        List<String> catalogued = catalogued();
        assertThat(catalogued).as("codes listed more than once in docs/ERRORS.md").doesNotHaveDuplicates();
        assertThat(catalogued).as("codes written but missing from docs/ERRORS.md").containsAll(written);
        assertThat(written).as("codes in docs/ERRORS.md that nothing writes").containsAll(catalogued);
    }

    /** The codes of the first column of every table row. */
    private static List<String> catalogued() throws IOException {
        List<String> codes = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("docs/ERRORS.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("| `error.")) {
                Matcher m = CATALOGUED.matcher(line.split("\\|")[1]);
                while (m.find()) {
                    codes.add(m.group(1));
                }
            }
        }
        return codes;
    }

    private static Set<String> configuredElementErrors() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("config/application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Set<String> codes = new TreeSet<>();
        properties.stringPropertyNames().stream().filter(key -> key.startsWith("element-errors."))
                .flatMap(key -> Arrays.stream(properties.getProperty(key).split(",")))
                .map(String::trim).filter(code -> !code.isEmpty()).forEach(codes::add);
        return codes;
    }
}
