package dev.flagway.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lints every case of the corpus ({@link LintCorpus}) and checks the verdict its header states;
 * {@link SqlLintCorpusServerTest} proves the headers' server claims on the real servers.
 */
class SqlLintCorpusTest {
    private static final Set<LintRule> LOCK_RULES = EnumSet.of(LintRule.TABLE_COPY, LintRule.BLOCKING_LOCK);
    private static final Pattern ONLINE_CLAUSE = Pattern.compile("(?i)\\b(ALGORITHM|LOCK)\\s*=");

    static Stream<LintCorpus.Case> cases() {
        return Stream.of(ServerKind.POSTGRESQL, ServerKind.MYSQL, ServerKind.MARIADB)
                .flatMap(server -> LintCorpus.cases(server).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCaseGetsTheVerdictItsHeaderStates(LintCorpus.Case c) {
        SqlLintReport report = SqlLinter.forServer(c.server()).lint(c.name() + ".sql", c.sql());

        List<SqlFinding> unexpected = new ArrayList<>(report.findings());
        List<LintCorpus.Expected> missing = new ArrayList<>();
        for (LintCorpus.Expected expected : c.expected()) {
            SqlFinding match = unexpected.stream().filter(expected::matches).findFirst().orElse(null);
            if (match == null) {
                missing.add(expected);
            } else {
                unexpected.remove(match);
            }
        }
        assertThat(missing).as("expected but not found in:\n%s", report.render()).isEmpty();
        assertThat(unexpected).as("found but not expected in:\n%s", report.render()).isEmpty();
        assertThat(report.waivers()).extracting(w -> w.finding().rule())
                .as(report.render()).containsExactlyInAnyOrderElementsOf(c.waived());
        assertThat(report.passes()).isEqualTo(c.expected().isEmpty());
    }

    /**
     * What a case claims about the server must agree with the linter's verdict: a statement that
     * rewrites a table, blocks writes or fails is never passed as safe, and the rules that predict a
     * rewrite or a lock are never false alarms.
     */
    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MYSQL", "MARIADB"})
    void theServerClaimsOfEveryCaseAgreeWithItsVerdict(ServerKind server) {
        for (LintCorpus.Case c : LintCorpus.cases(server)) {
            boolean flagged = !c.expected().isEmpty();
            String last = c.statements().get(c.statements().size() - 1);
            if ("yes".equals(c.claim("rewrite")) || c.claim("error") != null || "no".equals(c.claim("online"))) {
                assertThat(flagged).as("%s rewrites, fails or blocks but is expected safe", c).isTrue();
            }
            if (c.expects(LintRule.VOLATILE_DEFAULT) || c.expects(LintRule.TABLE_REBUILD)) {
                assertThat(server != ServerKind.POSTGRESQL || "yes".equals(c.claim("rewrite")))
                        .as("%s expects a rewrite rule, so it must claim 'rewrite: yes'", c).isTrue();
            }
            if (c.expected().stream().anyMatch(e -> LOCK_RULES.contains(e.rule()))
                    && !ONLINE_CLAUSE.matcher(last).find() && !last.regionMatches(true, 0, "OPTIMIZE", 0, 8)) {
                assertThat(c.claim("online")).as("%s expects a lock rule, so it must claim 'online: no'", c)
                        .isEqualTo("no");
            }
            if ("yes".equals(c.claim("online")) || "refused".equals(c.claim("online"))) {
                assertThat(c.expected()).as("%s is online but expects a lock rule", c)
                        .noneMatch(e -> LOCK_RULES.contains(e.rule()));
            }
            Set<String> allowed = server == ServerKind.POSTGRESQL ? Set.of("rewrite", "lock", "error")
                    : Set.of("online", "error");
            assertThat(c.claims().keySet()).as("%s claims", c).isSubsetOf(allowed);
        }
    }

    /** Every case cut short around each of its tokens still lints: bad SQL is a finding, never an exception. */
    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MYSQL", "MARIADB"})
    void everyTruncatedCaseLintsWithoutAnException(ServerKind server) {
        SqlLinter linter = SqlLinter.forServer(server);
        for (LintCorpus.Case c : LintCorpus.cases(server)) {
            Set<Integer> cuts = new TreeSet<>();
            SqlScript.read(c.sql(), server).statements().forEach(s -> s.tokens().forEach(t -> {
                cuts.add(t.start() + 1);
                cuts.add(t.end());
            }));
            for (int cut : cuts) {
                assertThat(linter.lint(c.name(), c.sql().substring(0, cut))).as("%s cut at %d", c, cut).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MYSQL", "MARIADB"})
    void oneLinterLintsManyFilesAtOnceWithTheSameReportsAsOneByOne(ServerKind server) throws Exception {
        SqlLinter linter = SqlLinter.forServer(server);
        List<LintCorpus.Case> cases = LintCorpus.cases(server);
        List<String> oneByOne = cases.stream().map(c -> linter.lint(c.name(), c.sql()).render()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return cases.stream().map(c -> linter.lint(c.name(), c.sql()).render()).toList();
                }));
            }
            start.countDown();
            for (Future<List<String>> run : runs) {
                assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(oneByOne);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MYSQL", "MARIADB"})
    void theCorpusHoldsSafeCasesAndUnsafeOnesForEveryRuleOfTheServer(ServerKind server) {
        List<LintCorpus.Case> cases = LintCorpus.cases(server);
        int findings = 0;
        int waived = 0;
        for (LintCorpus.Case c : cases) {
            SqlLintReport report = SqlLinter.forServer(server).lint(c.name() + ".sql", c.sql());
            findings += report.findings().size();
            waived += report.waivers().size();
        }
        Set<LintRule> covered = EnumSet.noneOf(LintRule.class);
        cases.forEach(c -> c.expected().forEach(e -> covered.add(e.rule())));
        Set<LintRule> applicable = EnumSet.noneOf(LintRule.class);
        Stream.of(LintRule.values()).filter(r -> r.appliesTo(server)).forEach(applicable::add);

        assertThat(covered).as("rules of %s with an unsafe case", server).isEqualTo(applicable);
        assertThat(cases).filteredOn(c -> c.expected().isEmpty()).hasSizeGreaterThanOrEqualTo(10);
        System.out.printf("lint corpus %s: %d cases (%d safe), %d findings, %d waived%n", server.cliName(),
                cases.size(), cases.stream().filter(c -> c.expected().isEmpty()).count(), findings, waived);
    }
}
