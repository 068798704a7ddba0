package dev.flagway.schema;

import dev.flagway.internal.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lints SQL migration files (Flyway, Liquibase, hand-written) for one server, by the same rules
 * ({@link LintRule}) as {@link SchemaLinter}: a column added NOT NULL without a default, a volatile
 * default, a type change, an index built or dropped without CONCURRENTLY, a constraint validated
 * while it is added, SET NOT NULL without a validated CHECK, renames, drops, UNIQUE constraints built
 * under lock, and on MySQL and MariaDB whatever would copy the table or lock it. Whatever a file does
 * to a table (or index) it created itself is safe.
 *
 * <p>A statement the linter cannot read is reported as {@link LintRule#UNPARSED}, never passed as
 * safe. A comment {@code -- flagway:allow RULE reason} inside a statement, after it on its last
 * line, or directly above it waives one finding of that rule for that statement; a waiver without a
 * reason is itself a finding ({@link LintRule#INVALID_WAIVER}).
 *
 * <pre>{@code
 * SqlLintReport report = SqlLinter.forServer(ServerKind.POSTGRESQL)
 *         .lint("V7__users_email.sql", Files.readString(path));
 * System.out.println(report.render());
 * if (!report.passes()) {
 *     System.exit(3);
 * }
 * }</pre>
 *
 * Thread-safe: one linter can lint many files at once.
 */
public final class SqlLinter {
    private final ServerKind server;
    private final StatementReader reader;
    private final LintChecks checks;

    private SqlLinter(ServerKind server) {
        this.server = server;
        this.reader = new StatementReader(server);
        this.checks = new LintChecks(server);
    }

    /** A linter judging statements as {@code server} runs them. */
    public static SqlLinter forServer(ServerKind server) {
        return new SqlLinter(Checks.notNull("server", server));
    }

    /** The server this linter judges for. */
    public ServerKind server() {
        return server;
    }

    /**
     * Lints one file. A file is assumed to run in one transaction, as Flyway and Liquibase run it
     * on PostgreSQL, unless it says COMMIT.
     *
     * @param file the file's name, repeated in every finding
     * @param sql the file's content
     * @return the report; never throws for bad SQL
     */
    public SqlLintReport lint(String file, String sql) {
        Checks.notNull("file", file);
        Checks.notNull("sql", sql);
        SqlScript script = SqlScript.read(sql, server);
        Waivers waivers = Waivers.of(script, file);
        LintContext context = new LintContext();
        List<SqlFinding> findings = new ArrayList<>(waivers.invalid());
        List<SqlWaiver> waived = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < script.statements().size(); i++) {
            SqlScript.Statement statement = script.statements().get(i);
            String excerpt = excerpt(statement);
            List<Waivers.Waiver> open = new ArrayList<>(waivers.of(i));
            for (LintChecks.Hit hit : checks.check(reader.read(statement), context)) {
                SqlFinding finding = new SqlFinding(file, hit.line() > 0 ? hit.line() : statement.line(), hit.rule(),
                        hit.detail(), excerpt);
                Waivers.Waiver waiver = open.stream().filter(w -> w.rule() == hit.rule()).findFirst().orElse(null);
                if (waiver == null) {
                    findings.add(finding);
                } else {
                    open.remove(waiver);
                    waived.add(new SqlWaiver(finding, waiver.line(), waiver.reason()));
                }
            }
            open.forEach(w -> notes.add(file + ":" + w.line() + ": note: the waiver of " + w.rule()
                    + " waives nothing: its statement breaks no " + w.rule() + " rule on " + server.cliName()));
        }
        waivers.unattached().forEach(w -> notes.add(file + ":" + w.line() + ": note: the waiver of " + w.rule()
                + " waives nothing: it is neither in a statement nor directly above one"));
        findings.sort(Comparator.comparingInt(SqlFinding::line));
        return new SqlLintReport(file, server, script.statements().size(), findings, waived, notes);
    }

    private static String excerpt(SqlScript.Statement statement) {
        String text = TokenCursor.text(statement.tokens()).replaceAll("\\s+", " ");
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
