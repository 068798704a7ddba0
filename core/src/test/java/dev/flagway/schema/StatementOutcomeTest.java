package dev.flagway.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatementOutcomeTest {

    private static final SchemaOperation DROP = SchemaOperation.dropIndex("users", "users_email_idx");

    @Test
    void readsAStatementWithoutGuardAsNone() {
        StatementOutcome outcome = new StatementOutcome(
                DdlStatement.of(DROP, "drop index users_email_idx", DdlMode.QUICK), 2, Duration.ofMillis(40), false);

        assertThat(outcome.toString())
                .isEqualTo("StatementOutcome[statement=DdlStatement[operation=" + DROP + ", sql=drop index users_email_idx,"
                        + " mode=QUICK, guard=none, alreadyAppliedStates=[]], attempts=2, elapsed=PT0.04S,"
                        + " alreadyApplied=false]");
        assertThat(DdlStatement.Guard.NONE).hasToString("none");
    }

    @Test
    void readsAGuardByWhatItDoes() {
        DdlStatement.Guard guard = new DdlStatement.Guard() {
            @Override
            public String describe() {
                return "drop the INVALID index first";
            }

            @Override
            public void beforeAttempt(Connection connection) {
                // not run here
            }
        };
        DdlStatement statement = DdlStatement.of(DROP, "create index", DdlMode.ONLINE).guardedBy(guard)
                .alreadyAppliedOn("42P07");

        assertThat(statement.toString()).contains("guard=drop the INVALID index first")
                .contains("alreadyAppliedStates=[42P07]").doesNotContain("$").doesNotContain("@");
    }
}
