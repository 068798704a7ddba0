package dev.flagway.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The lint corpus: one SQL file per case under {@code lint-corpus/<server>/} (server as
 * {@link ServerKind#cliName()}); {@code lint-corpus/postgres-setup.sql} and {@code mysql-setup.sql}
 * create the tables every case starts from.
 * A case's leading comments state what it proves:
 * <pre>
 * -- expect: RULE[@line], ... | safe    the linter's findings that are not waived (line optional)
 * -- waived: RULE, ...                  the findings its waivers waive
 * -- setup: SQL                         run before the case on the server (repeatable)
 * -- rewrite: yes|no                    PostgreSQL: the last statement rewrites a table (relfilenode)
 * -- lock: TABLE MODE                   PostgreSQL: the strongest lock the last statement holds on TABLE
 * -- error: SQLSTATE                    the last statement fails with this SQLSTATE
 * -- online: yes|no|refused             MySQL/MariaDB: with ALGORITHM=INPLACE, LOCK=NONE appended the last
 *                                       statement runs (yes) or is refused (no); refused: as written it is
 * </pre>
 */
final class LintCorpus {
    private static final Pattern HEADER = Pattern.compile("--\\s*(expect|waived|setup|rewrite|lock|error|online):\\s*(.*)");

    private LintCorpus() {
    }

    /** A finding a case expects: the rule, and the line when the case names it (else 0). */
    record Expected(LintRule rule, int line) {
        static Expected parse(String text) {
            String[] parts = text.trim().split("@");
            return new Expected(LintRule.valueOf(parts[0].trim()), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        }

        boolean matches(SqlFinding finding) {
            return finding.rule() == rule && (line == 0 || finding.line() == line);
        }

        @Override
        public String toString() {
            return line == 0 ? rule.name() : rule + "@" + line;
        }
    }

    /** One case. */
    record Case(ServerKind server, String name, String sql, List<Expected> expected, List<LintRule> waived,
            List<String> setup, Map<String, String> claims) {
        /** The claim {@code key} ({@code rewrite}, {@code lock}, {@code error}, {@code online}), or null. */
        String claim(String key) {
            return claims.get(key);
        }

        /** The case's statements as the server runs them. */
        List<String> statements() {
            return SqlScript.read(sql, server).statements().stream().map(SqlScript.Statement::text).toList();
        }

        boolean expects(LintRule rule) {
            return expected.stream().anyMatch(e -> e.rule() == rule);
        }

        @Override
        public String toString() {
            return server.cliName() + "/" + name;
        }
    }

    static List<Case> cases(ServerKind server) {
        try (Stream<Path> files = Files.list(directory(server))) {
            List<Case> cases = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                cases.add(read(server, file));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statements that create the tables every case of {@code server} starts from. */
    static List<String> setup(ServerKind server) {
        String file = server == ServerKind.POSTGRESQL ? "postgres-setup.sql" : "mysql-setup.sql";
        try {
            String sql = Files.readString(directory(server).resolveSibling(file), StandardCharsets.UTF_8);
            return SqlScript.read(sql, server).statements().stream().map(SqlScript.Statement::text).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Case read(ServerKind server, Path file) throws IOException {
        String sql = Files.readString(file, StandardCharsets.UTF_8);
        List<Expected> expected = null;
        List<LintRule> waived = new ArrayList<>();
        List<String> setup = new ArrayList<>();
        Map<String, String> claims = new LinkedHashMap<>();
        for (String line : sql.split("\n")) {
            Matcher header = HEADER.matcher(line.trim());
            if (!header.matches()) {
                continue;
            }
            String value = header.group(2).trim();
            switch (header.group(1)) {
                case "expect" -> expected = value.equals("safe") ? List.of()
                        : Stream.of(value.split(",")).map(Expected::parse).toList();
                case "waived" -> Stream.of(value.split(",")).map(r -> LintRule.valueOf(r.trim())).forEach(waived::add);
                case "setup" -> setup.add(value);
                default -> claims.put(header.group(1), value);
            }
        }
        String name = file.getFileName().toString().replaceFirst("\\.sql$", "");
        if (expected == null) {
            throw new IllegalStateException(server.cliName() + "/" + name + " has no '-- expect:' line");
        }
        return new Case(server, name, sql, expected, waived, setup, claims);
    }

    private static Path directory(ServerKind server) {
        URL url = LintCorpus.class.getClassLoader().getResource("lint-corpus/" + server.cliName());
        if (url == null) {
            throw new IllegalStateException("no lint corpus for " + server);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
