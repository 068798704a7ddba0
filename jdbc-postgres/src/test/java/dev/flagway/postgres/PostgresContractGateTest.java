package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.Verifier;
import java.time.Clock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PostgresContractGateTest {

    @Test
    void contractIsRefusedForEachUnmetConditionAndAllowedWhenAllHold() throws SQLException {
        try (PgFixture f = new PgFixture(1_000, true); Setup s = new Setup(f)) {
            ContractDecision nothing = s.gate.evaluate();
            assertThat(nothing.met()).hasSize(2).anySatisfy(m -> assertThat(m).contains("0 fallbacks"))
                    .anySatisfy(m -> assertThat(m).contains("0 rows the backfill could not migrate"));
            assertThat(nothing.unmet()).hasSize(3).anySatisfy(m -> assertThat(m).contains("is not at complete"))
                    .anySatisfy(m -> assertThat(m).contains("backfill never ran"))
                    .anySatisfy(m -> assertThat(m).contains("never verified"));

            s.modernSince.set(Optional.of(Instant.now().minus(Duration.ofDays(8))));
            s.backfill.run();
            s.verifier.verify();
            assertThat(s.gate.evaluate().unmet()).isEmpty();

            s.modernSince.set(Optional.of(Instant.now().minus(Duration.ofDays(2))));
            assertThat(s.gate.evaluate().unmet()).singleElement().asString()
                    .contains("has been fully modern since", "2d", "of the required 7d");
            s.modernSince.set(Optional.of(Instant.now().minus(Duration.ofDays(8))));

            s.journal.onFallback(f.migration.id());
            s.journal.onFallback(f.migration.id());
            assertThat(s.gate.evaluate().unmet()).singleElement().asString().contains("2 fallbacks");
            s.journal.flush();
            assertThat(s.gate.evaluate().unmet()).singleElement().asString().contains("2 fallbacks");
            f.exec("delete from " + f.fallbackTable);

            try (Connection c = f.dataSource.getConnection()) {
                BadRowLog.named(f.badRowTable).record(c, f.migration.id(), "9", "Shiped", new IllegalArgumentException(
                        "no such status"));
            }
            assertThat(s.gate.evaluate().unmet()).singleElement().asString()
                    .contains("1 rows the backfill could not migrate are unresolved");
            try (Connection c = f.dataSource.getConnection()) {
                BadRowLog.named(f.badRowTable).markResolved(c, f.migration.id(), "9", "ops@example.com");
            }
            assertThat(s.gate.evaluate().unmet()).isEmpty();

            f.exec("update " + f.table + " set email_normalized = 'drifted' where id = 7");
            s.verifier.verify();
            assertThat(s.gate.evaluate().unmet()).singleElement().asString()
                    .contains("last verification", "1 mismatched e.g. keys [7]");
            f.exec("update " + f.table + " set email_normalized = lower(trim(email)) where id = 7");
            s.verifier.verify();

            new CheckpointStore(f.dataSource, f.checkpointTable).reset(f.migration.id());
            assertThatThrownBy(() -> s.gate.contract("ops@example.com"))
                    .isInstanceOf(ContractRefusedException.class).hasMessageContaining("backfill never ran");
            assertThat(legacyColumnExists(f)).isTrue();
            s.backfill.run();

            assertThat(s.gate.contract("ops@example.com")).isNotEmpty();
            assertThat(legacyColumnExists(f)).isFalse();
            assertThat(s.audit.events(f.migration.id())).singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo("contract"));
        }
    }

    @Test
    void forcedContractNeedsAReasonAndRecordsItWithTheUnmetConditions() {
        try (PgFixture f = new PgFixture(100, true); Setup s = new Setup(f)) {
            assertThatThrownBy(() -> s.gate.forceContract("ops@example.com", " "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a reason");
            assertThat(legacyColumnExists(f)).isTrue();

            s.gate.forceContract("ops@example.com", "legacy column blocks the partitioning change, approved in CHG-1234");

            assertThat(legacyColumnExists(f)).isFalse();
            assertThat(s.audit.events(f.migration.id())).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("forced-contract");
                assertThat(e.actor()).isEqualTo("ops@example.com");
                assertThat(e.detail()).contains("CHG-1234", "backfill never ran");
            });
        }
    }

    private static boolean legacyColumnExists(PgFixture f) {
        return f.count("select count(*) from information_schema.columns where table_name = '" + f.table
                + "' and column_name = 'email'") == 1;
    }

    /** The gate and its inputs on the fixture's tables. */
    private static final class Setup implements AutoCloseable {
        final AtomicReference<Optional<Instant>> modernSince = new AtomicReference<>(Optional.empty());
        final FallbackJournal journal;
        final JdbcAuditLog audit;
        final Backfill backfill;
        final Verifier verifier;
        final ContractGate gate;

        Setup(PgFixture f) {
            journal = FallbackJournal.start(f.dataSource, f.fallbackTable, Duration.ofMinutes(5), Clock.systemUTC());
            audit = new JdbcAuditLog(f.dataSource, f.auditTable);
            backfill = Backfill.builder(f.migration, f.dataSource, new PostgresDialect())
                    .settings(BackfillSettings.custom().checkpointTable(f.checkpointTable).repairTable(f.repairTable)
                            .badRowTable(f.badRowTable).build()).build();
            VerificationLog verifications = new VerificationLog(f.dataSource, f.verificationTable);
            verifier = Verifier.builder(f.migration, f.dataSource, new PostgresDialect()).log(verifications).build();
            gate = ContractGate.builder(f.migration)
                    .flagHistory(flag -> modernSince.get())
                    .fallbacks(journal)
                    .checkpoints(new CheckpointStore(f.dataSource, f.checkpointTable))
                    .verifications(verifications)
                    .badRows(f.dataSource, BadRowLog.named(f.badRowTable))
                    .executor(new SchemaExecutor(f.dataSource, new PostgresDialect(), DdlSettings.ofDefaults()))
                    .audit(audit)
                    .build();
        }

        @Override
        public void close() {
            journal.close();
        }
    }
}
