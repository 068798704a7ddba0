package dev.flagway.routing;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingContext;
import dev.flagway.TargetingKey;
import dev.flagway.internal.Checks;
import dev.flagway.internal.MissingInputs;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Wraps an application's repository interface, given a legacy and a modern implementation of it,
 * in a proxy that routes each call by the migration's stage: {@link DualWrite} methods through the
 * migration's {@link DualWriter}, {@link FlagRouted} methods through its {@link FlagRoutedReader}.
 *
 * <pre>{@code
 * UserRepository users = DualWriteRepository.of(UserRepository.class)
 *         .legacy(new LegacyUserRepository(dataSource))
 *         .modern(new ModernUserRepository(dataSource))
 *         .migration(flagway.migration("users-email"))
 *         .wrap();
 * }</pre>
 *
 * The interface is reflected and validated once, in {@link Builder#wrap()}: every abstract method
 * must carry one of the two annotations, fallbacks must have matching signatures, and each method
 * must have a targeting key (a {@link TargetingKey} parameter, or {@link Builder#targetingKeyFromContext()})
 * and each {@code @DualWrite} a row key. A call is then one identity lookup and the method's prepared plan. {@code equals},
 * {@code hashCode} and {@code toString} are the proxy's own; unannotated default methods run on the
 * proxy, so their calls to annotated methods are routed too.
 */
public final class DualWriteRepository {
    private DualWriteRepository() {
    }

    /**
     * Starts wrapping {@code repositoryType}.
     *
     * @throws IllegalArgumentException when it is not an interface
     */
    public static <T> Builder<T> of(Class<T> repositoryType) {
        Checks.notNull("repository type", repositoryType);
        if (!repositoryType.isInterface()) {
            throw new IllegalArgumentException(repositoryType.getName() + " is not an interface; "
                    + "DualWriteRepository wraps repository interfaces");
        }
        return new Builder<>(repositoryType);
    }

    /**
     * Builds the proxy; {@link #wrap()} validates everything.
     *
     * @param <T> the repository interface
     */
    public static final class Builder<T> {
        private final Class<T> type;
        private T legacy;
        private T modern;
        private MigrationRuntime migration;
        private boolean contextTargetingKey;
        private final Map<Class<?>, Function<Object, ?>> rowKeyExtractors = new LinkedHashMap<>();

        private Builder(Class<T> type) {
            this.type = type;
        }

        /** The implementation that reads and writes the legacy column. */
        public Builder<T> legacy(T implementation) {
            this.legacy = Checks.notNull("legacy implementation", implementation);
            return this;
        }

        /** The implementation that reads and writes the new column. */
        public Builder<T> modern(T implementation) {
            this.modern = Checks.notNull("modern implementation", implementation);
            return this;
        }

        /** The migration whose stage routes the calls, from {@link Flagway#migration(String)}. */
        public Builder<T> migration(MigrationRuntime runtime) {
            this.migration = Checks.notNull("migration", runtime);
            return this;
        }

        /**
         * Lets methods without a {@link TargetingKey} parameter take the key from
         * {@link TargetingContext} (or evaluate without one when no scope is open).
         */
        public Builder<T> targetingKeyFromContext() {
            this.contextTargetingKey = true;
            return this;
        }

        /**
         * How to find the row key in a {@link DualWrite} method's argument of type {@code argumentType}
         * (for methods without a {@link RowKey} parameter), e.g. {@code rowKey(User.class, User::id)}.
         *
         * @throws IllegalArgumentException when an extractor for that type was already given
         */
        @SuppressWarnings("unchecked")
        public <A> Builder<T> rowKey(Class<A> argumentType, Function<? super A, ?> extractor) {
            Checks.notNull("row key argument type", argumentType);
            Checks.notNull("row key extractor", extractor);
            if (rowKeyExtractors.containsKey(argumentType)) {
                throw new IllegalArgumentException("a row key extractor for " + argumentType.getName() + " was already set");
            }
            rowKeyExtractors.put(argumentType, (Function<Object, ?>) extractor);
            return this;
        }

        /**
         * Validates the interface against the settings and returns the routing proxy.
         *
         * @throws IllegalStateException listing every missing input, with what provides it
         * @throws IllegalArgumentException listing every problem found in the interface
         */
        public T wrap() {
            MissingInputs.of("DualWriteRepository of " + type.getName())
                    .require(legacy, "legacy implementation (legacy(...): the repository on the legacy column)")
                    .require(modern, "modern implementation (modern(...): the repository on the new column)")
                    .require(migration, "migration (migration(...): Flagway.migration(id) provides it)")
                    .check();
            Map<Method, RepositoryInvocationHandler.Plan> plans = new RepositoryPlanner(type, migration, legacy, modern,
                    contextTargetingKey, rowKeyExtractors).plan();
            RepositoryInvocationHandler handler = new RepositoryInvocationHandler(plans);
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
        }
    }
}
