package dev.flagway.cli;

import dev.flagway.schema.ServerKind;
import dev.flagway.schema.SqlFinding;
import dev.flagway.schema.SqlLintReport;
import dev.flagway.schema.SqlLinter;
import dev.flagway.schema.SqlWaiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code flagway lint}: SQL migration files judged by core's {@link SqlLinter} (the one rule set of
 * Flagway's linters) for one server; exit 0 when every finding is waived, 3 otherwise. Needs no
 * database.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Lint SQL migration files (Flyway, Liquibase, hand-written) for one server.",
                "Exit 0 when every statement is safe or waived (-- flagway:allow RULE reason), 3 when a finding is not."})
final class LintCommand implements Callable<Integer> {
    @Option(names = "--dialect", paramLabel = "postgres|mysql|mariadb",
            description = "The server the files run on; default: the scheme of $" + ConnectionOptions.URL_ENV + ".")
    String dialect;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "SQL files, or folders whose *.sql files are linted in name order.")
    List<Path> files;

    @Mixin
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SqlLinter linter = SqlLinter.forServer(server());
        List<SqlLintReport> reports = new ArrayList<>();
        for (Path file : expand(files)) {
            reports.add(linter.lint(file.toString(), read(file)));
        }
        boolean passed = reports.stream().allMatch(SqlLintReport::passes);
        if (format.json()) {
            Map<String, Object> out = Json.object();
            out.put("server", linter.server().cliName());
            out.put("passed", passed);
            out.put("files", reports.stream().map(LintCommand::json).toList());
            spec.commandLine().getOut().println(Json.render(out));
        } else {
            for (SqlLintReport report : reports) {
                spec.commandLine().getOut().println(report.render());
            }
            if (reports.size() > 1) {
                spec.commandLine().getOut().println(reports.size() + " files, "
                        + reports.stream().mapToInt(r -> r.findings().size()).sum() + " findings, "
                        + reports.stream().mapToInt(r -> r.waivers().size()).sum() + " waived");
            }
        }
        spec.commandLine().getOut().flush();
        return passed ? ExitCode.OK : ExitCode.UNSAFE_DDL;
    }

    private ServerKind server() {
        if (dialect != null) {
            try {
                return ServerKind.parse(dialect);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--dialect: " + e.getMessage());
            }
        }
        String url = System.getenv(ConnectionOptions.URL_ENV);
        String scheme = url == null ? "" : url.toLowerCase(Locale.ROOT);
        if (scheme.startsWith("jdbc:postgresql:")) {
            return ServerKind.POSTGRESQL;
        }
        if (scheme.startsWith("jdbc:mariadb:")) {
            return ServerKind.MARIADB;
        }
        if (scheme.startsWith("jdbc:mysql:")) {
            return ServerKind.MYSQL;
        }
        throw CliException.usage("name the server the files run on with --dialect postgres|mysql|mariadb");
    }

    private static List<Path> expand(List<Path> given) {
        List<Path> all = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> children = Files.list(p)) {
                    children.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                            .filter(Files::isRegularFile).sorted().forEach(all::add);
                } catch (IOException e) {
                    throw CliException.usage("cannot list folder " + p + ": " + e.getMessage());
                }
            } else {
                all.add(p);
            }
        }
        if (all.isEmpty()) {
            throw CliException.usage("no .sql files in " + given);
        }
        return all;
    }

    private static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("no such file: " + file);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> json(SqlLintReport report) {
        Map<String, Object> out = Json.object();
        out.put("file", report.file());
        out.put("statements", report.statements());
        out.put("passed", report.passes());
        out.put("findings", report.findings().stream().map(LintCommand::json).toList());
        out.put("waivers", report.waivers().stream().map(LintCommand::json).toList());
        out.put("notes", report.notes());
        return out;
    }

    private static Map<String, Object> json(SqlFinding f) {
        Map<String, Object> out = Json.object();
        out.put("line", f.line());
        out.put("rule", f.rule().name());
        out.put("detail", f.detail());
        out.put("risk", f.risk());
        out.put("alternative", f.alternative());
        out.put("statement", f.statement());
        return out;
    }

    private static Map<String, Object> json(SqlWaiver w) {
        Map<String, Object> out = json(w.finding());
        out.put("waiverLine", w.line());
        out.put("reason", w.reason());
        return out;
    }
}
