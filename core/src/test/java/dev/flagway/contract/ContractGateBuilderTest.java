package dev.flagway.contract;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationLog;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class ContractGateBuilderTest {
    private static final Migration MIGRATION = Migration.builder("users-email").table("users").keyColumn("id")
            .legacyColumn("email").newColumn("email_normalized").build();

    @Test
    void everyMissingInputIsReportedAtOnceWithWhatProvidesIt() {
        assertThatThrownBy(() -> ContractGate.builder(MIGRATION).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("contract gate of migration 'users-email' is missing: "
                        + "flag history (flagHistory(...): FlagAdmin implements it), "
                        + "fallback journal (fallbacks(...): FallbackJournal.start(dataSource) provides it), "
                        + "checkpoint store (checkpoints(...): new CheckpointStore(dataSource)), "
                        + "verification log (verifications(...): new VerificationLog(dataSource)), "
                        + "bad-row log (badRows(dataSource, BadRowLog.ofDefaults())), "
                        + "schema executor (executor(...): new SchemaExecutor(dataSource, dialect, DdlSettings.ofDefaults())), "
                        + "audit sink (audit(...): new JdbcAuditLog(dataSource))");
    }

    @Test
    void onlyWhatIsStillMissingIsReported() {
        DataSource db = TestDatabase.H2.dataSource();
        assertThatThrownBy(() -> ContractGate.builder(MIGRATION).checkpoints(new CheckpointStore(db))
                .verifications(new VerificationLog(db)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is missing: flag history (")
                .hasMessageNotContaining("checkpoint store")
                .hasMessageNotContaining("verification log")
                .hasMessageEndingWith("audit sink (audit(...): new JdbcAuditLog(dataSource))");
    }
}
