package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.PropertyDescription;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;


/**
 * The IDE metadata in the jar, generated at build time from Flagway's catalogue of keys, covers every
 * key: the shared ones as properties (type, default, values offered), the per-migration ones as the
 * JavaBean properties of {@link FlagwayMigrationProperties}, the value type of {@code flagway.migrations}.
 */
class ConfigurationMetadataTest {
    private static final List<PropertyDescription> CATALOGUE = FlagwayProperties.catalogue();

    @Test
    void everySharedKeyIsAPropertyWithItsTypeDefaultAndValues() throws IOException {
        Map<String, Object> metadata = metadata();
        Map<String, Map<String, Object>> properties = byName(metadata.get("properties"));
        Map<String, Map<String, Object>> hints = byName(metadata.get("hints"));

        List<PropertyDescription> shared = CATALOGUE.stream().filter(p -> !p.perMigration()).toList();
        assertThat(shared).isNotEmpty();
        for (PropertyDescription p : shared) {
            Map<String, Object> property = properties.get(p.key());
            assertThat(property).as(p.key()).isNotNull()
                    .containsEntry("type", p.type().getName())
                    .containsEntry("description", p.description().replace("`", ""));
            assertThat(String.valueOf(property.get("defaultValue"))).as(p.key()).isEqualTo(p.defaultValue().orElse("null"));
            if (!p.values().isEmpty()) {
                assertThat(byName(hints.get(p.key()).get("values"), "value").keySet()).as(p.key())
                        .containsExactlyElementsOf(p.values());
            }
        }
        assertThat(properties.keySet()).hasSize(shared.size() + 1);
    }

    @Test
    void everyPerMigrationKeyIsAPropertyOfTheValueTypeOfTheMigrationsMap() throws IOException {
        Map<String, Object> migrations = byName(metadata().get("properties")).get("flagway.migrations");
        assertThat(migrations).containsEntry("type", "java.util.Map<java.lang.String,"
                + FlagwayMigrationProperties.class.getName() + ">");

        BeanWrapperImpl migration = new BeanWrapperImpl(new FlagwayMigrationProperties());
        List<PropertyDescription> perMigration = CATALOGUE.stream().filter(PropertyDescription::perMigration).toList();
        assertThat(perMigration).isNotEmpty();
        for (PropertyDescription p : perMigration) {
            String path = camelCase(p.name());
            assertThat(migration.isWritableProperty(path)).as(p.key()).isTrue();
            assertThat(migration.getPropertyType(path)).as(p.key()).isEqualTo(p.type());
        }
    }

    private static String camelCase(String kebab) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < kebab.length(); i++) {
            char c = kebab.charAt(i);
            out.append(c == '-' ? Character.toUpperCase(kebab.charAt(++i)) : c);
        }
        return out.toString();
    }

    private static Map<String, Object> metadata() throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata on the class path").isNotNull();
            return JsonPath.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).read("$");
        }
    }

    private static Map<String, Map<String, Object>> byName(Object items) {
        return byName(items, "name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> byName(Object items, String field) {
        return ((List<Map<String, Object>>) items).stream()
                .collect(Collectors.toMap(m -> (String) m.get(field), Function.identity(), (a, b) -> a,
                        LinkedHashMap::new));
    }
}
