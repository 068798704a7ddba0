package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;
import dev.flagway.WritePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WrapValidationTest {
    private final Fixture fx = Fixture.create();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    interface Unannotated {
        @FlagRouted
        String ok(@TargetingKey long id);

        String forgotten(long id);

        void alsoForgotten();
    }

    interface BothAnnotations {
        @FlagRouted
        @DualWrite
        void confused(@TargetingKey @RowKey long id);
    }

    interface NoTargetingKey {
        @FlagRouted
        String email(long id);
    }

    interface TwoTargetingKeys {
        @FlagRouted
        String email(@TargetingKey long id, @TargetingKey String tenant);
    }

    interface MissingFallback {
        @FlagRouted(fallback = "nope")
        String email(@TargetingKey long id);
    }

    interface FallbackWithWrongReturnType {
        @FlagRouted(fallback = "count")
        String email(@TargetingKey long id);

        @FlagRouted
        Integer count(@TargetingKey long id);
    }

    interface WriteWithoutRowKey {
        @DualWrite
        void setEmail(@TargetingKey long id, String email);
    }

    interface RowKeyOnRead {
        @FlagRouted
        String email(@TargetingKey @RowKey long id);
    }

    record User(long id, String email) {
    }

    interface SavesUsers {
        @DualWrite
        void save(@TargetingKey String tenant, User user);

        @DualWrite
        void copy(@TargetingKey String tenant, User from, User to);
    }

    interface RedeclaresToString {
        @FlagRouted
        String email(@TargetingKey long id);

        @Override
        String toString();
    }

    static <T> T stub(Class<T> type) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, a) -> null));
    }

    private <T> DualWriteRepository.Builder<T> builder(Class<T> type) {
        return DualWriteRepository.of(type).legacy(stub(type)).modern(stub(type)).migration(fx.runtime);
    }

    @Test
    void unannotatedMethodsAreAllNamed() {
        assertThatThrownBy(() -> builder(Unannotated.class).wrap())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot wrap " + Unannotated.class.getName())
                .hasMessageContaining("forgotten(long) has neither @DualWrite nor @FlagRouted")
                .hasMessageContaining("alsoForgotten() has neither @DualWrite nor @FlagRouted")
                .message().doesNotContain("ok(");
    }

    @Test
    void bothAnnotationsOnOneMethodAreRefused() {
        assertThatThrownBy(() -> builder(BothAnnotations.class).wrap())
                .hasMessageContaining("confused(long) has both @DualWrite and @FlagRouted");
    }

    @Test
    void missingTargetingKeyIsRefusedUnlessTheContextIsAllowed() {
        assertThatThrownBy(() -> builder(NoTargetingKey.class).wrap())
                .hasMessageContaining("email(long) has no @TargetingKey parameter")
                .hasMessageContaining("targetingKeyFromContext()");

        assertThat(builder(NoTargetingKey.class).targetingKeyFromContext().wrap()).isNotNull();
    }

    @Test
    void twoTargetingKeysAreRefused() {
        assertThatThrownBy(() -> builder(TwoTargetingKeys.class).wrap())
                .hasMessageContaining("email(long, String) has more than one @TargetingKey parameter");
    }

    @Test
    void fallbackThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> builder(MissingFallback.class).wrap())
                .hasMessageContaining("email(long) names fallback 'nope', but MissingFallback has no method nope(long)");
    }

    @Test
    void fallbackWithIncompatibleReturnTypeIsRefused() {
        assertThatThrownBy(() -> builder(FallbackWithWrongReturnType.class).wrap())
                .hasMessageContaining("email(long) names fallback count(long), which returns Integer where String is needed");
    }

    @Test
    void dualWriteWithoutRowKeyIsRefusedUnderTheRepairPolicy() {
        assertThatThrownBy(() -> builder(WriteWithoutRowKey.class).wrap())
                .hasMessageContaining("setEmail(long, String) has no @RowKey parameter and no row key extractor");
    }

    @Test
    void dualWriteWithoutRowKeyIsAcceptedUnderTheStrictPolicy() {
        try (Fixture strict = Fixture.create(m -> m.writePolicy(WritePolicy.STRICT),
                b -> b.transactionRunner(new dev.flagway.jdbc.DataSourceTransactionRunner(
                        dev.flagway.testing.TestDatabase.H2.dataSource())))) {
            assertThat(DualWriteRepository.of(WriteWithoutRowKey.class).legacy(stub(WriteWithoutRowKey.class))
                    .modern(stub(WriteWithoutRowKey.class)).migration(strict.runtime).wrap()).isNotNull();
        }
    }

    @Test
    void rowKeyOnAReadIsRefused() {
        assertThatThrownBy(() -> builder(RowKeyOnRead.class).wrap())
                .hasMessageContaining("email(long) is @FlagRouted; only @DualWrite methods take a @RowKey parameter");
    }

    @Test
    void rowKeyExtractorByArgumentTypeFindsTheKeyAndAmbiguityIsRefused() {
        assertThatThrownBy(() -> builder(SavesUsers.class).rowKey(User.class, User::id).wrap())
                .hasMessageContaining("copy(String, User, User) has several parameters with a row key extractor [1, 2]");
    }

    @Test
    void rowKeyExtractorForTheSameTypeTwiceIsRefused() {
        assertThatThrownBy(() -> builder(SavesUsers.class).rowKey(User.class, User::id).rowKey(User.class, User::id))
                .hasMessage("a row key extractor for " + User.class.getName() + " was already set");
    }

    @Test
    void objectMethodsRedeclaredByTheInterfaceNeedNoAnnotation() {
        RedeclaresToString repo = builder(RedeclaresToString.class).wrap();
        assertThat(repo.toString()).startsWith("DualWriteRepository[");
    }

    @Test
    void classesAndMissingImplementationsAreRefused() {
        assertThatThrownBy(() -> DualWriteRepository.of(String.class))
                .hasMessage("java.lang.String is not an interface; DualWriteRepository wraps repository interfaces");
        assertThatThrownBy(() -> DualWriteRepository.of(NoTargetingKey.class).migration(fx.runtime).wrap())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DualWriteRepository of " + NoTargetingKey.class.getName() + " is missing: legacy implementation"
                        + " (legacy(...): the repository on the legacy column), modern implementation (modern(...): the"
                        + " repository on the new column)");
        assertThatThrownBy(() -> DualWriteRepository.of(NoTargetingKey.class).wrap())
                .hasMessageEndingWith(", migration (migration(...): Flagway.migration(id) provides it)");
        assertThatThrownBy(() -> DualWriteRepository.of(NoTargetingKey.class).legacy(null))
                .hasMessage("legacy implementation must not be null");
    }
}
