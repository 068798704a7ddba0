package dev.flagway.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A contract migration refused by the gate with nothing recorded in Flyway's history, then allowed. */
class ContractMigrationTest {

    /** V1: drops the legacy column of the fixture's migration once the gate allows it. */
    public static final class V1__users_email_contract extends FlagwayContractMigration {
        private final String id;

        V1__users_email_contract(String id) {
            this.id = id;
        }

        @Override
        public String migrationId() {
            return id;
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB", "MYSQL8"})
    void theContractIsRefusedWithTheGatesReasonsAndNothingRecordedThenAllowed(TestDatabase db) {
        try (FlywayFixture f = new FlywayFixture(db)) {
            f.exec("alter table " + f.table + " add column email_normalized varchar(200)");
            String checkpoints = f.table + "_ckpt";
            String verifications = f.table + "_verif";
            String badRows = f.table + "_bad";
            f.dropTables(checkpoints, verifications, badRows, f.table + "_repair", f.table + "_audit",
                    f.table + "_fallback");
            Migration migration = Migration.builder(f.table.replace('_', '-')).table(f.table).keyColumn("id")
                    .legacyColumn("email").newColumn("email_normalized")
                    .transform(e -> e == null ? null : e.toString().trim().toLowerCase()).build();
            Dialect dialect = db == TestDatabase.POSTGRES ? new PostgresDialect() : MySqlDialect.detect(f.dataSource);
            VerificationLog log = new VerificationLog(f.dataSource, verifications);
            try (FallbackJournal journal = FallbackJournal.start(f.dataSource, f.table + "_fallback",
                    Duration.ofMinutes(5), Clock.systemUTC())) {
                ContractGate gate = ContractGate.builder(migration)
                        .flagHistory(flag -> Optional.of(Instant.now().minus(Duration.ofDays(8))))
                        .fallbacks(journal)
                        .checkpoints(new CheckpointStore(f.dataSource, checkpoints))
                        .verifications(log)
                        .badRows(f.dataSource, BadRowLog.named(badRows))
                        .executor(new SchemaExecutor(f.dataSource, dialect, DdlSettings.ofDefaults()))
                        .audit(new JdbcAuditLog(f.dataSource, f.table + "_audit"))
                        .build();
                FlagwayCallback flagway = FlagwayCallback.builder().contractGate(migration.id(), gate).build();

                assertThatThrownBy(() -> flagway.configure(f.flyway())
                        .javaMigrations(new V1__users_email_contract(migration.id())).load().migrate())
                        .isInstanceOf(FlywayException.class)
                        .hasMessageContaining("contract of migration '" + migration.id() + "' refused")
                        .hasMessageContaining("the backfill never ran")
                        .hasMessageContaining("the migration was never verified")
                        .hasMessageContaining("Flyway ran and recorded nothing");
                assertThat(f.historyOf("1")).isEmpty();
                assertThat(f.columnExists("email")).isTrue();

                Backfill.builder(migration, f.dataSource, dialect).settings(BackfillSettings.custom()
                        .checkpointTable(checkpoints).repairTable(f.table + "_repair").badRowTable(badRows).build())
                        .build().run();
                Verifier.builder(migration, f.dataSource, dialect).log(log).build().verify();

                flagway.configure(f.flyway()).javaMigrations(new V1__users_email_contract(migration.id())).load()
                        .migrate();
                assertThat(f.historyOf("1")).containsExactly(true);
                assertThat(f.columnExists("email")).isFalse();
            }
        }
    }
}
