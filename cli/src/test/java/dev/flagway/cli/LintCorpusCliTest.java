package dev.flagway.cli;

import static dev.flagway.cli.JsonDoc.at;
import static dev.flagway.cli.JsonDoc.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lint corpus core proves against the servers (one file per case, its verdict in its
 * {@code -- expect:} and {@code -- waived:} lines), linted through the jar for each server flavour:
 * the command gives every file the verdict core's linter gives it, and the exit code follows.
 */
class LintCorpusCliTest {
    private static final Pattern HEADER = Pattern.compile("--\\s*(expect|waived):\\s*(.*)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql", "mariadb"})
    void everyCorpusFileGetsItsExpectedVerdict(String server) throws IOException {
        Path corpus = corpus().resolve(server);
        Map<String, List<String>[]> expected = expectations(corpus);

        Cli.Result result = new Cli().run("lint", "--dialect", server, "--format", "json", corpus.toString());
        boolean anyUnsafe = expected.values().stream().anyMatch(e -> !e[0].isEmpty());
        result.exits(anyUnsafe ? 3 : 0);
        Object doc = JsonDoc.parse(result.out());
        assertThat(at(doc, "server")).isEqualTo(server);
        List<Object> files = list(doc, "files");
        assertThat(files).hasSize(expected.size());

        int unsafe = 0;
        for (Object file : files) {
            String name = Path.of((String) at(file, "file")).getFileName().toString();
            List<String>[] want = expected.get(name);
            List<String> findings = new ArrayList<>();
            for (Object f : list(file, "findings")) {
                findings.add((String) at(f, "rule"));
            }
            List<String> wantRules = want[0].stream().map(r -> r.replaceFirst("@.*", "")).toList();
            assertThat(findings).as("%s/%s findings", server, name).containsExactlyInAnyOrderElementsOf(wantRules);
            for (String r : want[0]) {
                if (r.contains("@")) {
                    String rule = r.substring(0, r.indexOf('@'));
                    long line = Long.parseLong(r.substring(r.indexOf('@') + 1));
                    assertThat(list(file, "findings")).as("%s/%s %s", server, name, r)
                            .anySatisfy(f -> {
                                assertThat(at(f, "rule")).isEqualTo(rule);
                                assertThat(JsonDoc.number(f, "line")).isEqualTo(line);
                            });
                }
            }
            List<String> waived = list(file, "waivers").stream().map(w -> (String) at(w, "rule")).toList();
            assertThat(waived).as("%s/%s waivers", server, name).containsExactlyInAnyOrderElementsOf(want[1]);
            assertThat(at(file, "passed")).isEqualTo(want[0].isEmpty());
            if (!want[0].isEmpty()) {
                unsafe++;
            }
        }
        System.out.printf("lint corpus %s: %d files, %d unsafe, %d safe%n", server, files.size(), unsafe,
                files.size() - unsafe);
    }

    @Test
    void aSafeFileExitsZeroAndAWaiverIsPrinted() throws IOException {
        Path safe = Files.writeString(dir.resolve("V1__add.sql"), "ALTER TABLE users ADD COLUMN email_normalized text;\n"
                + "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"
                + "-- flagway:allow NON_CONCURRENT_INDEX the table is empty in every environment\n"
                + "CREATE INDEX users_plan_idx ON users (plan);\n");
        Cli.Result result = new Cli().run("lint", "--dialect", "postgres", safe.toString()).exits(0);
        assertThat(result.out()).contains("waived NON_CONCURRENT_INDEX (the table is empty in every environment)")
                .contains("3 statements, 0 findings, 1 waived");
    }

    @Test
    void theServerComesFromTheJdbcUrlWhenNoDialectIsNamedAndAMissingFileIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("V2__modify.sql"), "ALTER TABLE users MODIFY email VARCHAR(10);\n");
        Cli.Result mariadb = new Cli().env("FLAGWAY_JDBC_URL", "jdbc:mariadb://db/app").run("lint", file.toString());
        mariadb.exits(3);
        assertThat(mariadb.out()).contains("TYPE_CHANGE");

        assertThat(new Cli().run("lint", file.toString()).exits(2).oneErrorLine()).contains("--dialect");
        assertThat(new Cli().run("lint", "--dialect", "oracle", file.toString()).exits(2).oneErrorLine())
                .contains("unknown server 'oracle'");
        assertThat(new Cli().run("lint", "--dialect", "postgres", dir.resolve("nope.sql").toString()).exits(2)
                .oneErrorLine()).contains("no such file");
    }

    private static Path corpus() {
        Path corpus = Path.of(System.getProperty("flagway.cli.lintCorpus", "../core/src/test/resources/lint-corpus"));
        assertThat(corpus).isDirectory();
        return corpus;
    }

    /** Per file: [expected findings (RULE or RULE@line), waived rules]. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>[]> expectations(Path corpus) throws IOException {
        Map<String, List<String>[]> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(corpus)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                List<String> expect = new ArrayList<>();
                List<String> waived = new ArrayList<>();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher m = HEADER.matcher(line.trim());
                    if (!m.matches()) {
                        continue;
                    }
                    String value = m.group(2).trim();
                    if (m.group(1).equals("expect")) {
                        if (!value.equals("safe")) {
                            Stream.of(value.split(",")).map(String::trim).forEach(expect::add);
                        }
                    } else {
                        Stream.of(value.split(",")).map(String::trim).forEach(waived::add);
                    }
                }
                all.put(file.getFileName().toString(), new List[] {expect, waived});
            }
        }
        return all;
    }
}
