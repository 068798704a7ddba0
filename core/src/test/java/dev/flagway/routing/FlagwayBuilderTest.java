package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.WritePolicy;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class FlagwayBuilderTest {
    private final TestFlags flags = TestFlags.install();

    private static Migration migration(String id) {
        return Migration.builder(id).table("users").keyColumn("id").legacyColumn("email").newColumn("email2").build();
    }

    @Test
    void clientIsRequired() {
        assertThatThrownBy(() -> Flagway.builder().migration(migration("m")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Flagway is missing: OpenFeature client (client(...): "
                        + "OpenFeatureAPI.getInstance().getClient() provides it)");
    }

    @Test
    void everyMissingInputIsReportedAtOnce() {
        assertThatThrownBy(() -> Flagway.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Flagway is missing: OpenFeature client (client(...): OpenFeatureAPI.getInstance()"
                        + ".getClient() provides it), migration (no migration is configured: add "
                        + "flagway.migrations.<id>.* properties or call migration(...))");
    }

    @Test
    void atLeastOneMigrationIsRequired() {
        assertThatThrownBy(() -> Flagway.builder().client(flags.client()).build())
                .hasMessageContaining("no migration is configured");
    }

    @Test
    void strictPolicyWithoutTransactionRunnerIsRefused() {
        Migration strict = migration("m").toBuilder().writePolicy(WritePolicy.STRICT).build();

        assertThatThrownBy(() -> Flagway.builder().client(flags.client()).migration(strict).build())
                .hasMessageContaining("write-policy strict, which needs a transaction runner");
    }

    @Test
    void unknownMigrationNamesTheConfiguredOnes() {
        try (Flagway flagway = Flagway.builder().client(flags.client()).migration(migration("a")).migration(migration("b")).build()) {
            assertThatThrownBy(() -> flagway.migration("c"))
                    .hasMessage("unknown migration 'c'; configured: [a, b]");
            assertThat(flagway.migrations()).extracting(r -> r.migration().id()).containsExactly("a", "b");
        }
    }

    @Test
    void sameMigrationAddedTwiceIsRefused() {
        assertThatThrownBy(() -> Flagway.builder().migration(migration("a")).migration(migration("a")))
                .hasMessage("migration 'a' was already added");
    }

    @Test
    void propertiesBuildTheMigrationsAndCodeAddsTheTransform() {
        var settings = FlagwayProperties.bind(Map.of(
                "flagway.migrations.users-email.table", "users",
                "flagway.migrations.users-email.key-column", "id",
                "flagway.migrations.users-email.legacy-column", "email",
                "flagway.migrations.users-email.new-column", "email_normalized",
                "flagway.migrations.users-email.breaker.error-rate-threshold", "0.05"));
        Migration withTransform = settings.migration("users-email").orElseThrow().toBuilder()
                .transform(v -> v.toString().toLowerCase()).build();

        try (Flagway flagway = Flagway.builder().client(flags.client()).settings(settings).migration(withTransform).build()) {
            Migration running = flagway.migration("users-email").migration();
            assertThat(running.breaker().errorRateThreshold()).isEqualTo(0.05);
            assertThat(running.transform().apply("A@B")).isEqualTo("a@b");
        }
    }

    @Test
    void transactionRunnerCreatesTheRepairTableAtBuild() throws Exception {
        DataSource ds = TestDatabase.H2.dataSource();
        try (Flagway flagway = Flagway.builder().client(flags.client()).migration(migration("m"))
                .transactionRunner(new DataSourceTransactionRunner(ds)).build();
             Connection c = ds.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, "flagway_repair", null)) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void unreachableDatabaseFailsTheBuildWithAClearMessage() {
        org.h2.jdbcx.JdbcDataSource dead = new org.h2.jdbcx.JdbcDataSource();
        dead.setURL("jdbc:h2:tcp://127.0.0.1:1/nothing");

        assertThatThrownBy(() -> Flagway.builder().client(flags.client()).migration(migration("m"))
                .transactionRunner(new DataSourceTransactionRunner(dead)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("could not set up the repair and bad-row tables: could not open a transaction");
    }
}
