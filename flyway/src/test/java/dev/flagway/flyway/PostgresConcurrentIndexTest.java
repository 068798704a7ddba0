package dev.flagway.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flagway.schema.SchemaOperation;
import dev.flagway.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.ValidateResult;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

/** The transactional-lock trap of Flyway 9.1.2 and later on PostgreSQL, and the migration's checksum. */
class PostgresConcurrentIndexTest {

    /** V1: an index built concurrently by Flagway's executor. */
    public static final class V1__email_index extends FlagwayJavaMigration {
        private final String table;
        private final String column;

        V1__email_index(String table, String column) {
            this.table = table;
            this.column = column;
        }

        @Override
        protected List<SchemaOperation> operations() {
            return List.of(SchemaOperation.createIndex(table, table + "_email_idx", column));
        }
    }

    /** V1 again, as if someone edited the applied migration. */
    public static final class V1__email_index_edited extends FlagwayJavaMigration {
        private final String table;

        V1__email_index_edited(String table) {
            this.table = table;
        }

        @Override
        protected List<SchemaOperation> operations() {
            return List.of(SchemaOperation.createIndex(table, table + "_email_idx", "email", "id"));
        }

        @Override
        public org.flywaydb.core.api.MigrationVersion getVersion() {
            return org.flywaydb.core.api.MigrationVersion.fromVersion("1");
        }

        @Override
        public String getDescription() {
            return "email index";
        }
    }

    @Test
    void aConcurrentIndexInsideFlywayCompletesWhenConfiguredThroughFlagway() {
        try (FlywayFixture f = new FlywayFixture(TestDatabase.POSTGRES)) {
            FlagwayCallback flagway = FlagwayCallback.ofDefaults();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> flagway.configure(f.flyway())
                    .javaMigrations(new V1__email_index(f.table, "email")).load().migrate());

            assertThat(f.historyOf("1")).containsExactly(true);
            assertThat(f.count("select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid"
                    + " where c.relname = '" + f.table + "_email_idx' and i.indisvalid")).isEqualTo(1);

            // the checksum is that of the script: an edit of the applied migration fails validation
            ValidateResult edited = flagway.configure(f.flyway())
                    .javaMigrations(new V1__email_index_edited(f.table)).load().validateWithResult();
            assertThat(edited.validationSuccessful).isFalse();
            assertThat(edited.getAllErrorMessages()).contains("checksum mismatch");
        }
    }

    @Test
    void withFlywaysTransactionalLockOnAConcurrentIndexFailsFastWithTheReasonInsteadOfHanging() {
        try (FlywayFixture f = new FlywayFixture(TestDatabase.POSTGRES)) {
            FlagwayCallback flagway = FlagwayCallback.ofDefaults();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> f.flyway()
                    .callbacks(flagway.callback()) // transactional lock left at Flyway's default
                    .javaMigrations(new V1__email_index(f.table, "email")).load().migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("postgresql.transactional.lock=true")
                    .hasMessageContaining("flyway/flyway#3508")
                    .hasMessageContaining("spring.flyway.postgresql.transactional-lock=false"));

            assertThat(f.historyOf("1")).isEmpty();
            assertThat(f.count("select count(*) from pg_class where relname = '" + f.table + "_email_idx'")).isZero();
        }
    }
}
