package dev.flagway.schema;

import dev.flagway.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link SqlLinter} found in one SQL file: the findings that fail it, the findings waived by
 * inline comments, and notes (waivers that waived nothing). Immutable.
 */
public final class SqlLintReport {
    private final String file;
    private final ServerKind server;
    private final int statements;
    private final List<SqlFinding> findings;
    private final List<SqlWaiver> waivers;
    private final List<String> notes;

    SqlLintReport(String file, ServerKind server, int statements, List<SqlFinding> findings, List<SqlWaiver> waivers,
            List<String> notes) {
        this.file = Checks.notNull("file", file);
        this.server = Checks.notNull("server", server);
        this.statements = statements;
        this.findings = List.copyOf(findings);
        this.waivers = List.copyOf(waivers);
        this.notes = List.copyOf(notes);
    }

    /** The file's name, as given to the linter. */
    public String file() {
        return file;
    }

    /** The server the file was judged for. */
    public ServerKind server() {
        return server;
    }

    /** How many statements the file holds. */
    public int statements() {
        return statements;
    }

    /** The findings no comment waives, in file order: the file passes only when there are none. */
    public List<SqlFinding> findings() {
        return findings;
    }

    /** The findings waived by {@code -- flagway:allow RULE reason} comments, in file order. */
    public List<SqlWaiver> waivers() {
        return waivers;
    }

    /** Remarks that do not fail the file, such as a waiver that waived nothing. */
    public List<String> notes() {
        return notes;
    }

    /** Whether every finding is waived: the command line exits 0 only then. */
    public boolean passes() {
        return findings.isEmpty();
    }

    /**
     * The report as text: one line per finding ({@link SqlFinding#render()}), per waiver
     * ({@link SqlWaiver#render()}) and per note, then a summary line
     * ({@code file: 4 statements, 1 finding, 2 waived}). The command line and the Flyway and
     * Liquibase integrations print exactly this.
     */
    public String render() {
        List<String> lines = new ArrayList<>();
        findings.forEach(f -> lines.add(f.render()));
        waivers.forEach(w -> lines.add(w.render()));
        lines.addAll(notes);
        lines.add(file + ": " + count(statements, "statement") + ", " + count(findings.size(), "finding") + ", "
                + waivers.size() + " waived");
        return String.join("\n", lines);
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Override
    public String toString() {
        return render();
    }
}
