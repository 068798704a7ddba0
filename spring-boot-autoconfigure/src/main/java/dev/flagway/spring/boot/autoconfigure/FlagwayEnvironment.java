package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.config.PropertyDescription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code flagway.*} properties of a Spring {@link ConfigurableEnvironment}, handed to Flagway's own
 * binder ({@link FlagwayProperties#bind(Map)}), which validates them and reports every problem at
 * once. Every property source counts, with Spring's precedence (command line over environment over
 * {@code application.properties} and so on), and {@code ${...}} placeholders in values are resolved.
 *
 * <p>Keys are taken as written ({@code application.properties}, YAML, {@code SPRING_APPLICATION_JSON},
 * system properties, and environment variables named like the key, which Kubernetes allows:
 * {@code flagway.migrations.users-email.table}). Environment variables in the usual upper-case form
 * are mapped with Spring Boot's rules ({@code _} separates, {@code -} is dropped or written as
 * {@code _}): {@code FLAGWAY_SHADOW_QUEUECAPACITY}, {@code FLAGWAY_SHADOW_QUEUE_CAPACITY}. A migration
 * id loses its {@code -} and {@code .} in that form, so it is matched to an id written elsewhere
 * ({@code FLAGWAY_MIGRATIONS_USERSEMAIL_BREAKER_WINDOW} and {@code FLAGWAY_MIGRATIONS_USERS_EMAIL_BREAKER_WINDOW}
 * set {@code flagway.migrations.users-email.breaker.window} when {@code users-email} is configured);
 * an id found nowhere else is taken as written, lower-cased. Upper-case variables that match no key
 * ({@code FLAGWAY_PG_URL} of some other tool) are ignored and logged once.
 */
final class FlagwayEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(FlagwayEnvironment.class);
    private static final String PREFIX = "flagway.";
    private static final String MIGRATIONS = PREFIX + "migrations.";
    private static final String ENV_PREFIX = "flagway_";
    private static final String ENV_MIGRATIONS = ENV_PREFIX + "migrations_";

    private final List<PropertyDescription> global;
    private final List<PropertyDescription> perMigration;

    private FlagwayEnvironment() {
        List<PropertyDescription> catalogue = FlagwayProperties.catalogue();
        this.global = catalogue.stream().filter(p -> !p.perMigration()).toList();
        // Longest names first: the property is found at the end of a key, after an id that may contain dots.
        this.perMigration = catalogue.stream().filter(PropertyDescription::perMigration)
                .sorted(Comparator.comparingInt((PropertyDescription p) -> p.name().length()).reversed()).toList();
    }

    /**
     * Binds the environment's {@code flagway.*} properties.
     *
     * @param logIgnored whether to log the environment variables that match no property
     * @throws dev.flagway.config.FlagwayConfigException listing every problem
     */
    static FlagwaySettings bind(ConfigurableEnvironment environment, boolean logIgnored) {
        return FlagwayProperties.bind(properties(environment, logIgnored));
    }

    /** The environment's {@code flagway.*} properties, keys as Flagway's binder expects them, in the order first written. */
    static Map<String, String> properties(ConfigurableEnvironment environment, boolean logIgnored) {
        return new FlagwayEnvironment().read(environment, logIgnored);
    }

    /** A property as a source gives it; {@code variable} when it is an upper-case environment variable. */
    private record Given(String name, Object value, boolean variable) {
    }

    private Map<String, String> read(ConfigurableEnvironment environment, boolean logIgnored) {
        List<Given> given = new ArrayList<>();
        List<PropertySource<?>> lowestPrecedenceFirst = new ArrayList<>();
        environment.getPropertySources().forEach(lowestPrecedenceFirst::add);
        Collections.reverse(lowestPrecedenceFirst);
        for (PropertySource<?> source : lowestPrecedenceFirst) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            boolean environmentVariables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                if (name.startsWith(PREFIX)) {
                    given.add(new Given(name, source.getProperty(name), false));
                } else if (environmentVariables && name.regionMatches(true, 0, ENV_PREFIX, 0, ENV_PREFIX.length())
                        && name.indexOf('.') < 0) {
                    given.add(new Given(name, source.getProperty(name), true));
                }
            }
        }
        Set<String> ids = writtenIds(given);
        Map<String, String> properties = new LinkedHashMap<>();
        Set<String> ignored = new LinkedHashSet<>();
        for (Given property : given) {
            Optional<String> key = property.variable() ? keyOfVariable(property.name(), ids) : Optional.of(property.name());
            if (key.isEmpty()) {
                ignored.add(property.name());
                continue;
            }
            String value = property.value() == null ? "" : String.valueOf(property.value());
            properties.put(key.get(), environment.resolveRequiredPlaceholders(value));
        }
        if (logIgnored && !ignored.isEmpty()) {
            LOG.info("Ignoring environment variables that match no Flagway property: {}", ignored);
        }
        return properties;
    }

    /** The migration ids written in full (not in the upper-case environment variable form). */
    private Set<String> writtenIds(List<Given> given) {
        Set<String> ids = new LinkedHashSet<>();
        for (Given property : given) {
            if (!property.variable() && property.name().startsWith(MIGRATIONS)) {
                String idAndName = property.name().substring(MIGRATIONS.length());
                perMigration.stream().filter(p -> idAndName.endsWith('.' + p.name())).findFirst()
                        .ifPresent(p -> ids.add(idAndName.substring(0, idAndName.length() - p.name().length() - 1)));
            }
        }
        return ids;
    }

    private Optional<String> keyOfVariable(String variable, Set<String> ids) {
        String name = variable.toLowerCase(Locale.ROOT);
        for (PropertyDescription p : global) {
            if (variableForms(p.name()).contains(name.substring(ENV_PREFIX.length()))) {
                return Optional.of(p.key());
            }
        }
        if (!name.startsWith(ENV_MIGRATIONS)) {
            return Optional.empty();
        }
        String idAndName = name.substring(ENV_MIGRATIONS.length());
        for (PropertyDescription p : perMigration) {
            for (String form : variableForms(p.name())) {
                if (idAndName.endsWith('_' + form) && idAndName.length() > form.length() + 1) {
                    return Optional.of(p.key(id(idAndName.substring(0, idAndName.length() - form.length() - 1), ids)));
                }
            }
        }
        return Optional.empty();
    }

    /** Spring Boot's two environment variable forms of a kebab-case name, lower-cased: dashes dropped, or written as {@code _}. */
    private static List<String> variableForms(String name) {
        String separated = name.replace('.', '_');
        return List.of(separated.replace("-", ""), separated.replace('-', '_'));
    }

    /** The written id that {@code variableId} stands for: itself, the one id equal but for {@code - . _}, or else itself. */
    private static String id(String variableId, Set<String> ids) {
        if (ids.contains(variableId)) {
            return variableId;
        }
        List<String> matching = ids.stream().filter(id -> squash(id).equals(squash(variableId))).toList();
        if (matching.size() > 1) {
            LOG.warn("Environment variables for migration '{}' match several configured migrations {}; they are taken "
                    + "for a migration '{}'. Set them with the id written out (SPRING_APPLICATION_JSON, or a variable "
                    + "named flagway.migrations.<id>.<key>)", variableId, matching, variableId);
        }
        return matching.size() == 1 ? matching.get(0) : variableId;
    }

    private static String squash(String id) {
        return id.replace("-", "").replace(".", "").replace("_", "");
    }
}
