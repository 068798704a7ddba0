package dev.flagway.config;

import static dev.flagway.config.PropertyCatalogue.MIGRATIONS;
import static dev.flagway.config.PropertyCatalogue.PREFIX;

import dev.flagway.Migration;
import dev.flagway.Stage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One binding run: applies each {@code flagway.} property through the {@link PropertyCatalogue},
 * collecting every problem instead of stopping at the first. Not thread-safe; used once.
 */
final class PropertyBinder {
    /** A migration property as given. */
    private record Given(String key, PropertyKey<MigrationDraft, ?> property, String value) {
    }

    private final SettingsDraft settings = SettingsDraft.of();
    private final Map<String, List<Given>> migrations = new LinkedHashMap<>();
    private final List<String> unknownKeys = new ArrayList<>();
    private final Set<String> validIds = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    private PropertyBinder() {
    }

    /**
     * Binds the properties, in the order given.
     *
     * @throws FlagwayConfigException listing every problem
     */
    static FlagwaySettings bind(Iterable<Map.Entry<String, String>> properties) {
        return new PropertyBinder().run(properties);
    }

    private FlagwaySettings run(Iterable<Map.Entry<String, String>> properties) {
        for (Map.Entry<String, String> property : properties) {
            String key = property.getKey();
            if (key != null && key.startsWith(PREFIX)) {
                route(key, property.getValue());
            }
        }
        FlagwaySettings.Builder complete = settings.complete();
        Stage defaultStage = complete.build().defaultStage();
        migrations.forEach((id, given) -> bindMigration(id, given, defaultStage).ifPresent(complete::migration));
        unknownKeys.forEach(key -> problems.add(unknown(key)));
        if (!problems.isEmpty()) {
            throw FlagwayConfigException.of(problems);
        }
        return complete.build();
    }

    /** Applies a shared setting at once; sets migration properties aside by id; notes unknown keys. */
    private void route(String key, String value) {
        Optional<PropertyKey<SettingsDraft, ?>> global = PropertyCatalogue.global(key.substring(PREFIX.length()));
        Optional<PropertyCatalogue.MigrationKey> migrationKey = key.startsWith(MIGRATIONS)
                ? PropertyCatalogue.migration(key.substring(MIGRATIONS.length()))
                : Optional.empty();
        if (global.isPresent()) {
            global.get().apply(settings, key, value).ifPresent(problems::add);
        } else if (migrationKey.isPresent()) {
            migrations.computeIfAbsent(migrationKey.get().id(), id -> new ArrayList<>())
                    .add(new Given(key, migrationKey.get().key(), value));
        } else {
            unknownKeys.add(key);
        }
    }

    private Optional<Migration> bindMigration(String id, List<Given> given, Stage defaultStage) {
        Migration.Builder builder;
        try {
            builder = Migration.builder(id).defaultStage(defaultStage);
        } catch (IllegalArgumentException invalidId) {
            problems.add(given.get(0).key() + ": " + invalidId.getMessage());
            return Optional.empty();
        }
        validIds.add(id);
        MigrationDraft draft = MigrationDraft.of(builder);
        int problemsBefore = problems.size();
        Set<String> present = new HashSet<>();
        for (Given property : given) {
            present.add(property.property().name());
            property.property().apply(draft, property.key(), property.value()).ifPresent(problems::add);
        }
        PropertyCatalogue.MIGRATION.stream()
                .filter(k -> k.required() && !present.contains(k.name()))
                .forEach(k -> problems.add(PropertyCatalogue.migrationKey(id, k) + " is required"));
        if (problems.size() > problemsBefore) {
            return Optional.empty();
        }
        try {
            return Optional.of(draft.build());
        } catch (IllegalStateException | IllegalArgumentException inconsistent) {
            problems.add(MIGRATIONS + id + ": " + inconsistent.getMessage());
            return Optional.empty();
        }
    }

    /** The problem for an unknown key, suggesting the nearest known key for the migration ids in play. */
    private String unknown(String key) {
        Set<String> ids = new LinkedHashSet<>(validIds);
        if (key.startsWith(MIGRATIONS)) {
            String rest = key.substring(MIGRATIONS.length());
            int dot = rest.indexOf('.');
            ids.add(dot < 0 ? rest : rest.substring(0, dot));
        }
        return KeySuggester.nearest(key, PropertyCatalogue.fullKeys(ids))
                .map(suggestion -> "unknown property " + key + "; did you mean " + suggestion + "?")
                .orElse("unknown property " + key);
    }
}
