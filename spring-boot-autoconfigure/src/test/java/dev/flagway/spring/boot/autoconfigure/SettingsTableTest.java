package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.PropertyDescription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The settings tables of the READMEs are the catalogue of keys rendered, not a second list: each must
 * equal the rendering. Run with {@code -Dflagway.update-docs=true} to rewrite them after changing the catalogue.
 */
class SettingsTableTest {
    private static final String BEGIN = "<!-- flagway-settings:begin (generated from the catalogue; see SettingsTableTest) -->\n";
    private static final String END = "<!-- flagway-settings:end -->";

    @ParameterizedTest
    @ValueSource(strings = {"../README.md", "../spring-boot-starter/README.md"})
    void theReadmeTableListsEveryKeyAsTheCatalogueDescribesIt(String readme) throws IOException {
        Path file = Path.of(readme);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String table = table();
        if (Boolean.getBoolean("flagway.update-docs")) {
            text = text.substring(0, text.indexOf(BEGIN) + BEGIN.length()) + table + text.substring(text.indexOf(END));
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as(readme + " marks its settings table").isNotNegative().isLessThan(end);
        assertThat(text.substring(begin + BEGIN.length(), end)).as(readme + ": run this test with -Dflagway.update-docs=true")
                .isEqualTo(table);
    }

    /** The table: key, default, meaning; every key of the catalogue, in its order. */
    static String table() {
        return FlagwayProperties.catalogue().stream().map(SettingsTableTest::row)
                .collect(Collectors.joining("\n", "| key | default | meaning |\n|---|---|---|\n", "\n"));
    }

    private static String row(PropertyDescription p) {
        String absent = p.required() ? "required"
                : p.defaultValue().map(d -> "`" + d + "`").orElseGet(() -> p.whenAbsent().orElseThrow());
        return "| `" + p.key() + "` | " + absent + " | " + p.description().replace("|", "\\|") + " |";
    }
}
