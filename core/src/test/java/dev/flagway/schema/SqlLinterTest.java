package dev.flagway.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLinterTest {
    private final SqlLinter postgres = SqlLinter.forServer(ServerKind.POSTGRESQL);
    private final SqlLinter mysql = SqlLinter.forServer(ServerKind.MYSQL);

    @Test
    void semicolonsInLiteralsCommentsAndDollarQuotesDoNotEndStatements() {
        SqlLintReport report = postgres.lint("V1.sql", """
                INSERT INTO notes (body) VALUES ('a; b'), (E'it\\'s; c');
                /* a block /* nested; */ comment; */
                CREATE FUNCTION touch() RETURNS trigger AS $body$
                BEGIN NEW.updated := now(); RETURN NEW; END;
                $body$ LANGUAGE plpgsql;
                SELECT "odd;name" FROM notes; -- trailing; comment
                """);

        assertThat(report.statements()).isEqualTo(3);
        assertThat(report.passes()).isTrue();
    }

    @Test
    void mysqlTakesBackslashEscapesHashCommentsAndDoubleQuotedStrings() {
        SqlLintReport report = mysql.lint("V1.sql", """
                # a hash comment; not a statement
                ALTER TABLE users ADD COLUMN motto varchar(40) DEFAULT 'it\\'s; fine' COMMENT "a;b";
                ALTER TABLE `users` DROP COLUMN `legacy;name`;
                SELECT 1--1;
                """);

        assertThat(report.statements()).isEqualTo(3);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(LintRule.COLUMN_DROP);
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.detail()).isEqualTo("drops legacy;name");
        });
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndingsChangeNothing() {
        SqlLintReport report = postgres.lint("V1.sql", "\uFEFF-- flagway:allow COLUMN_DROP contract of users-a\r\n"
                + "ALTER TABLE users DROP COLUMN a;\r\n\r\nCREATE INDEX users_b_idx ON users (b);\r\n");

        assertThat(report.waivers()).extracting(SqlWaiver::reason).containsExactly("contract of users-a");
        assertThat(report.findings()).extracting(SqlFinding::line, SqlFinding::rule)
                .containsExactly(tuple(4, LintRule.NON_CONCURRENT_INDEX));
    }

    @Test
    void eachFindingNamesTheLineOfItsStatementOrOfItsAlterAction() {
        SqlLintReport report = postgres.lint("V2__users.sql", """
                -- header comment

                ALTER TABLE users
                    ADD COLUMN nickname text,
                    ADD COLUMN tier int NOT NULL,
                    DROP COLUMN legacy;

                CREATE INDEX users_tier_idx
                    ON users (tier);
                """);

        assertThat(report.findings()).extracting(SqlFinding::line, SqlFinding::rule).containsExactly(
                tuple(5, LintRule.NOT_NULL_WITHOUT_CHECK),
                tuple(6, LintRule.COLUMN_DROP),
                tuple(8, LintRule.NON_CONCURRENT_INDEX));
        assertThat(report.findings().get(2).statement()).isEqualTo("CREATE INDEX users_tier_idx ON users (tier)");
    }

    @Test
    void theRenderingIsOneStableLinePerFindingAndWaiverThenASummary() {
        SqlLintReport report = postgres.lint("V3.sql", """
                ALTER TABLE users RENAME COLUMN email TO mail;
                ALTER TABLE users DROP COLUMN legacy; -- flagway:allow COLUMN_DROP contract of users-legacy, gate passed
                """);

        assertThat(report.render()).isEqualTo(String.join("\n",
                "V3.sql:1: COLUMN_RENAME: email becomes mail -- " + LintRule.COLUMN_RENAME.risk() + "; instead, "
                        + LintRule.COLUMN_RENAME.alternative() + " [ALTER TABLE users RENAME COLUMN email TO mail]",
                "V3.sql:2: waived COLUMN_DROP (contract of users-legacy, gate passed) [ALTER TABLE users DROP COLUMN legacy]",
                "V3.sql: 2 statements, 1 finding, 1 waived"));
        assertThat(report.passes()).isFalse();
    }

    @Test
    void aWaiverOnTheStatementOrDirectlyAboveItWaivesOneFindingOfItsRule() {
        SqlLintReport report = postgres.lint("V4.sql", """
                -- contract of users-email:
                -- flagway:allow COLUMN_DROP gate passed on 2024-05-01
                ALTER TABLE users DROP COLUMN email;
                ALTER TABLE users
                    DROP COLUMN a, -- flagway:allow COLUMN_DROP a was never read
                    DROP COLUMN b;
                -- flagway:allow COLUMN_RENAME old name unused since 2023

                ALTER TABLE users RENAME COLUMN c TO d;
                """);

        assertThat(report.waivers()).extracting(w -> w.finding().line(), SqlWaiver::line, SqlWaiver::reason)
                .containsExactly(tuple(3, 2, "gate passed on 2024-05-01"),
                        tuple(5, 5, "a was never read"));
        assertThat(report.findings()).extracting(SqlFinding::line, SqlFinding::rule).containsExactly(
                tuple(6, LintRule.COLUMN_DROP),
                tuple(9, LintRule.COLUMN_RENAME));
        assertThat(report.notes()).containsExactly("V4.sql:7: note: the waiver of COLUMN_RENAME waives nothing: "
                + "it is neither in a statement nor directly above one");
    }

    @Test
    void aWaiverWithoutAReasonOrWithAnUnknownRuleIsItselfAFindingThatCannotBeWaived() {
        SqlLintReport report = postgres.lint("V5.sql", """
                -- flagway:allow COLUMN_DROP
                ALTER TABLE users DROP COLUMN a;
                ALTER TABLE users DROP COLUMN b; -- flagway:allow COLUMN_DROPS typo
                -- flagway:allow INVALID_WAIVER I know better
                SELECT 1;
                """);

        assertThat(report.findings()).extracting(SqlFinding::line, SqlFinding::rule, SqlFinding::detail)
                .startsWith(tuple(1, LintRule.INVALID_WAIVER,
                        "the waiver of COLUMN_DROP gives no reason"))
                .contains(tuple(4, LintRule.INVALID_WAIVER,
                        "INVALID_WAIVER cannot be waived"))
                .extracting(t -> t.toList().get(1)).containsExactly(LintRule.INVALID_WAIVER, LintRule.COLUMN_DROP,
                        LintRule.INVALID_WAIVER, LintRule.COLUMN_DROP, LintRule.INVALID_WAIVER);
        assertThat(report.findings().get(2).detail()).startsWith("unknown rule 'COLUMN_DROPS'; waivable rules: ")
                .contains("TABLE_COPY").doesNotContain("INVALID_WAIVER");
        assertThat(report.waivers()).isEmpty();
    }

    @Test
    void aWaiverThatMatchesNoFindingOfItsStatementIsANote() {
        SqlLintReport report = postgres.lint("V6.sql", "ALTER TABLE users ADD COLUMN nickname text; "
                + "-- flagway:allow TABLE_COPY not MySQL\n");

        assertThat(report.passes()).isTrue();
        assertThat(report.notes()).containsExactly("V6.sql:1: note: the waiver of TABLE_COPY waives nothing: its "
                + "statement breaks no TABLE_COPY rule on postgres");
    }

    @Test
    void aStatementTheLinterCannotReadIsReportedNeverPassed() {
        SqlLintReport report = postgres.lint("V7.sql", """
                DO $$ BEGIN EXECUTE 'ALTER TABLE users DROP COLUMN email'; END $$;
                ALTER TABLE users ATTACH PARTITION users_2024 FOR VALUES IN (2024);
                ALTER TABLE users ADD COLUMN c int DEFAULT (((1);
                FROBNICATE users;
                INSERT INTO t VALUES ('never closed);
                """);

        assertThat(report.findings()).extracting(SqlFinding::line, SqlFinding::rule, SqlFinding::detail).containsExactly(
                tuple(1, LintRule.UNPARSED, "a DO block runs code the linter cannot read"),
                tuple(2, LintRule.UNPARSED,
                        "expected an ALTER TABLE action but found 'ATTACH' at line 2"),
                tuple(3, LintRule.UNPARSED, "the statement ends too early"),
                tuple(4, LintRule.UNPARSED,
                        report.findings().get(3).detail()),
                tuple(5, LintRule.UNPARSED, "unterminated literal starting at line 5"));
        assertThat(report.findings().get(3).detail()).startsWith("jOOQ's parser: ");
    }

    @Test
    void whateverAFileDoesToATableOrIndexItCreatedIsSafe() {
        SqlLintReport report = postgres.lint("V8.sql", """
                CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz);
                CREATE INDEX audit_at_idx ON audit (at);
                ALTER TABLE audit ADD COLUMN who text NOT NULL, ADD CONSTRAINT audit_who UNIQUE (who);
                ALTER TABLE public.audit ALTER COLUMN at TYPE timestamp;
                DROP INDEX audit_at_idx;
                CREATE INDEX users_at_idx ON users (at);
                CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, at timestamptz);
                CREATE INDEX events_at_idx ON events (at);
                """);

        assertThat(report.findings()).extracting(SqlFinding::line, SqlFinding::rule).as("IF NOT EXISTS may keep an "
                + "existing table").containsExactly(tuple(6, LintRule.NON_CONCURRENT_INDEX),
                        tuple(8, LintRule.NON_CONCURRENT_INDEX));
    }

    @Test
    void notValidThenValidateIsSafeOnlyInSeparateTransactions() {
        String addNotValid = "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) "
                + "REFERENCES users (id) NOT VALID;\n";
        String validate = "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n";

        assertThat(postgres.lint("V9.sql", addNotValid).passes()).isTrue();
        assertThat(postgres.lint("V10.sql", validate).passes()).isTrue();
        assertThat(postgres.lint("V9.sql", addNotValid + "COMMIT;\n" + validate).passes()).isTrue();
        assertThat(postgres.lint("V9.sql", addNotValid + validate).findings())
                .singleElement().satisfies(f -> {
                    assertThat(f.rule()).isEqualTo(LintRule.VALIDATING_CONSTRAINT);
                    assertThat(f.line()).isEqualTo(2);
                    assertThat(f.detail()).contains("same transaction", "later migration");
                });
    }

    @Test
    void setNotNullIsSafeOnceAValidatedCheckProvesIt() {
        String proven = """
                ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
                COMMIT;
                ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
                ALTER TABLE users ALTER COLUMN email SET NOT NULL;
                ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;
                """;

        assertThat(postgres.lint("V11.sql", proven).findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(LintRule.NOT_NULL_WITHOUT_CHECK);
            assertThat(f.line()).isEqualTo(5);
        });
        assertThat(postgres.lint("V11.sql", proven.replace("VALIDATE CONSTRAINT users_email_nn", "VALIDATE CONSTRAINT other"))
                .findings()).extracting(SqlFinding::line).containsExactly(4, 5);
    }

    @Test
    void onMySqlAForeignKeyAddedWithoutChecksNeitherValidatesNorCopies() {
        String add = "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n";

        assertThat(mysql.lint("V12.sql", add).findings()).extracting(SqlFinding::rule)
                .containsExactly(LintRule.VALIDATING_CONSTRAINT, LintRule.TABLE_COPY);
        assertThat(mysql.lint("V12.sql", "SET foreign_key_checks = 0;\n" + add).passes()).isTrue();
        assertThat(mysql.lint("V12.sql", "SET SESSION foreign_key_checks = OFF;\nSET foreign_key_checks = 1;\n" + add)
                .findings()).hasSize(2);
    }

    @Test
    void onMySqlTheStatementsOwnClausesDecideWhetherItCanBlock() {
        assertThat(mysql.lint("a.sql", "ALTER TABLE users ADD COLUMN x int, ALGORITHM=COPY;").findings())
                .extracting(SqlFinding::rule, SqlFinding::detail)
                .containsExactly(tuple(LintRule.TABLE_COPY, "ALGORITHM=COPY is requested"));
        assertThat(mysql.lint("a.sql", "ALTER TABLE users ADD COLUMN x int, LOCK = EXCLUSIVE;").findings())
                .extracting(SqlFinding::rule).containsExactly(LintRule.BLOCKING_LOCK);
        assertThat(mysql.lint("a.sql", "ALTER TABLE users ADD FULLTEXT INDEX ft (bio), LOCK=NONE;").passes()).isTrue();
        assertThat(mysql.lint("a.sql", "ALTER TABLE users ADD FULLTEXT INDEX ft (bio), ALGORITHM=INPLACE;").findings())
                .extracting(SqlFinding::rule).containsExactly(LintRule.BLOCKING_LOCK);
        assertThat(mysql.lint("a.sql", "ALTER TABLE users DROP PRIMARY KEY, ALGORITHM=INPLACE;").passes()).isTrue();
        assertThat(mysql.lint("a.sql", "CREATE FULLTEXT INDEX ft ON users (bio) ALGORITHM=INPLACE LOCK=NONE;")
                .passes()).isTrue();
    }

    @Test
    void rulesOfOtherServersAreNeverReported() {
        String sql = "CREATE INDEX users_email_idx ON users (email);\nALTER TABLE users ADD COLUMN g int AS (id) STORED;\n";

        assertThat(mysql.lint("a.sql", sql).findings()).extracting(SqlFinding::rule)
                .containsExactly(LintRule.TABLE_REBUILD, LintRule.TABLE_COPY);
        assertThat(postgres.lint("a.sql", sql).findings()).extracting(SqlFinding::rule)
                .containsExactly(LintRule.NON_CONCURRENT_INDEX, LintRule.TABLE_REBUILD);
        for (ServerKind server : ServerKind.values()) {
            List<LintRule> reported = SqlLinter.forServer(server).lint("a.sql", sql).findings().stream()
                    .map(SqlFinding::rule).toList();
            assertThat(reported).allMatch(rule -> rule.appliesTo(server));
        }
    }

    @Test
    void aDefaultJooqCannotReadIsJudgedByTheFunctionsItCalls() {
        assertThat(postgres.lint("a.sql", """
                ALTER TABLE users ADD COLUMN code varchar(10) DEFAULT ''::character varying NOT NULL;
                ALTER TABLE users ADD COLUMN seen timestamp DEFAULT (now() AT TIME ZONE 'utc');
                ALTER TABLE users ADD COLUMN ref bigint DEFAULT nextval('users_ref_seq'::regclass);
                """).findings()).extracting(SqlFinding::line, SqlFinding::rule, SqlFinding::detail)
                .containsExactly(tuple(3, LintRule.VOLATILE_DEFAULT,
                        "ref: default nextval('users_ref_seq'::regclass) calls nextval, which may be volatile"));
        assertThat(mysql.lint("a.sql", "ALTER TABLE users ADD COLUMN flags varbinary(4) NOT NULL DEFAULT 0x00;")
                .passes()).isTrue();
        assertThat(SqlLinter.forServer(ServerKind.OTHER).lint("a.sql",
                "ALTER TABLE users ADD COLUMN code varchar(10) DEFAULT ''::character varying;").findings())
                .extracting(SqlFinding::rule).containsExactly(LintRule.VOLATILE_DEFAULT);
    }

    @Test
    void droppingOrRenamingASchemaDropsOrRenamesEveryTableInIt() {
        assertThat(mysql.lint("a.sql", "DROP DATABASE IF EXISTS shop;\nALTER DATABASE shop CHARACTER SET utf8mb4;")
                .findings()).extracting(SqlFinding::rule, SqlFinding::detail)
                .containsExactly(tuple(LintRule.TABLE_DROP, "drops schema shop and every table in it"));
        assertThat(postgres.lint("a.sql", "ALTER SCHEMA shop RENAME TO store;\nALTER SCHEMA store OWNER TO app;")
                .findings()).extracting(SqlFinding::rule).containsExactly(LintRule.TABLE_RENAME);
    }

    @Test
    void anOtherServerCountsEveryDefaultThatIsNotALiteralAsVolatile() {
        String sql = "ALTER TABLE users ADD COLUMN created timestamp DEFAULT now();";

        assertThat(postgres.lint("a.sql", sql).passes()).isTrue();
        assertThat(SqlLinter.forServer(ServerKind.OTHER).lint("a.sql", sql).findings()).extracting(SqlFinding::rule)
                .containsExactly(LintRule.VOLATILE_DEFAULT);
    }

    @Test
    void theLintDocumentationDescribesEveryRule() throws IOException {
        String documentation = Files.readString(Path.of("../docs/LINT.md"));

        assertThat(LintRule.values()).allSatisfy(rule -> assertThat(documentation).contains("| `" + rule + "` |"));
    }

    @Test
    void serverNamesFromTheCommandLineAreCheckedWithTheAcceptedNames() {
        assertThat(ServerKind.parse(" Postgres ")).isEqualTo(ServerKind.POSTGRESQL);
        assertThat(ServerKind.parse("postgresql")).isEqualTo(ServerKind.POSTGRESQL);
        assertThat(ServerKind.parse("MariaDB")).isEqualTo(ServerKind.MARIADB);
        assertThatThrownBy(() -> ServerKind.parse("oracle"))
                .hasMessage("unknown server 'oracle': use one of postgres, mysql, mariadb");
        assertThatThrownBy(() -> ServerKind.parse("other")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ServerKind.of(org.jooq.SQLDialect.H2)).isEqualTo(ServerKind.OTHER);
        assertThatThrownBy(() -> SqlLinter.forServer(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> postgres.lint("a.sql", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
