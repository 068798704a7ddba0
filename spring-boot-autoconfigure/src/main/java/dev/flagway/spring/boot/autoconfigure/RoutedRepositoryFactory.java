package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.routing.DualWriteRepository;
import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.FlagwayStartupException;
import dev.flagway.spring.Legacy;
import dev.flagway.spring.Modern;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Builds the routing proxy of one {@link FlagwayRepository} interface from the context: the
 * {@link Legacy @Legacy} and {@link Modern @Modern} beans of the interface and the migration of
 * {@link Flagway}. Every misconfiguration is a {@link FlagwayStartupException} naming the bean and the fix.
 */
final class RoutedRepositoryFactory<T> {
    private final ConfigurableListableBeanFactory beanFactory;
    private final Class<T> type;
    private final FlagwayRepository annotation;
    private final String beanName;

    RoutedRepositoryFactory(ConfigurableListableBeanFactory beanFactory, Class<T> type, FlagwayRepository annotation,
                            String beanName) {
        this.beanFactory = beanFactory;
        this.type = type;
        this.annotation = annotation;
        this.beanName = beanName;
    }

    T create() {
        List<String> unqualified = new ArrayList<>();
        List<String> legacy = new ArrayList<>();
        List<String> modern = new ArrayList<>();
        for (String candidate : beanFactory.getBeanNamesForType(type)) {
            if (candidate.equals(beanName)) {
                continue;
            }
            boolean isLegacy = annotated(candidate, Legacy.class);
            boolean isModern = annotated(candidate, Modern.class);
            if (isLegacy && isModern) {
                throw failure("bean '" + candidate + "' is marked both @Legacy and @Modern.",
                        "Keep @Legacy on the implementation of the legacy column and @Modern on the one of the new column.");
            }
            (isLegacy ? legacy : isModern ? modern : unqualified).add(candidate);
        }
        T legacyImplementation = type.cast(beanFactory.getBean(single(legacy, "@Legacy", "legacy", unqualified)));
        T modernImplementation = type.cast(beanFactory.getBean(single(modern, "@Modern", "new", unqualified)));
        MigrationRuntime migration = migration();
        DualWriteRepository.Builder<T> builder = DualWriteRepository.of(type)
                .legacy(legacyImplementation)
                .modern(modernImplementation)
                .migration(migration);
        if (annotation.targetingKeyFromContext()) {
            builder.targetingKeyFromContext();
        }
        try {
            return builder.wrap();
        } catch (IllegalArgumentException e) {
            throw new FlagwayStartupException(describe() + " cannot route " + type.getSimpleName() + ": " + e.getMessage(),
                    "Annotate every abstract method of " + type.getName() + " with @FlagRouted (reads) or @DualWrite "
                    + "(writes) and give each a @TargetingKey parameter (and each @DualWrite a @RowKey), or give the "
                    + "method a default implementation.", e);
        }
    }

    private boolean annotated(String candidate, Class<? extends Annotation> qualifier) {
        return beanFactory.findAnnotationOnBean(candidate, qualifier) != null;
    }

    private String single(List<String> qualified, String qualifier, String column, List<String> unqualified) {
        if (qualified.size() == 1) {
            return qualified.get(0);
        }
        String fix = "Mark exactly one bean implementing " + type.getSimpleName() + " with " + qualifier
                + " (on its class or its @Bean method): the one that reads and writes the " + column + " column.";
        if (qualified.isEmpty()) {
            throw failure("no bean implementing " + type.getSimpleName() + " is marked " + qualifier
                    + (unqualified.isEmpty() ? "." : "; unmarked implementations: " + unqualified + "."), fix);
        }
        throw failure(qualified.size() + " beans implementing " + type.getSimpleName() + " are marked " + qualifier
                + ": " + qualified + ".", fix);
    }

    private MigrationRuntime migration() {
        Flagway flagway = beanFactory.getBean(Flagway.class);
        try {
            return flagway.migration(annotation.migration());
        } catch (IllegalArgumentException e) {
            throw failure("its migration '" + annotation.migration() + "' is not configured ("
                    + flagway.migrations().stream().map(m -> m.migration().id()).toList() + " are).",
                    "Correct @FlagwayRepository(migration = ...) on " + type.getName() + ", or configure flagway.migrations."
                    + annotation.migration() + ".table, .key-column, .legacy-column and .new-column.");
        }
    }

    private FlagwayStartupException failure(String problem, String action) {
        return new FlagwayStartupException(describe() + ": " + problem, action, null);
    }

    private String describe() {
        return "Flagway repository '" + beanName + "' (" + type.getName() + ", migration '" + annotation.migration() + "')";
    }
}
