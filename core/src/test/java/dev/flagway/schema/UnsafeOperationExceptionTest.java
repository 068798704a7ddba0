package dev.flagway.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.FlagwayException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnsafeOperationExceptionTest {

    private static final SchemaOperation DROP = SchemaOperation.dropColumn("users", "email");

    @Test
    void aDialectsRefusalNamesWhatItFoundTheRiskTheAlternativeAndTheRule() {
        UnsafeOperationException e = new UnsafeOperationException(
                new LintFinding(LintRule.COLUMN_STILL_READ, DROP, "read by view v_emails"));

        assertThat(e).isInstanceOf(FlagwayException.class).hasMessage("refused " + DROP.describe()
                + ": read by view v_emails; " + LintRule.COLUMN_STILL_READ.risk() + "; instead, "
                + LintRule.COLUMN_STILL_READ.alternative() + " [COLUMN_STILL_READ]");
        assertThat(e.findings()).extracting(LintFinding::rule).containsExactly(LintRule.COLUMN_STILL_READ);
    }

    @Test
    void theLintersFindingsReadAsBeforeWithoutDetail() {
        LintFinding finding = new LintFinding(LintRule.COLUMN_DROP, DROP);

        assertThat(finding.detail()).isEmpty();
        assertThat(new UnsafeOperationException(List.of(finding)))
                .hasMessage("refused 1 unsafe schema request(s):\n  - " + DROP.describe() + ": "
                        + LintRule.COLUMN_DROP.risk() + "; instead, " + LintRule.COLUMN_DROP.alternative()
                        + " [COLUMN_DROP]");
    }

    @Test
    void aRuleOnlyDialectsReportIsNeverJudgedByTheLinters() {
        assertThat(ServerKind.values()).noneMatch(LintRule.COLUMN_STILL_READ::appliesTo);
    }
}
