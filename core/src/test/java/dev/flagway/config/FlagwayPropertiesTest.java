package dev.flagway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flagway.Migration;
import dev.flagway.ShadowComparator;
import dev.flagway.ShadowConfig;
import dev.flagway.Stage;
import dev.flagway.WritePolicy;
import dev.flagway.breaker.BreakerConfig;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlagwayPropertiesTest {
    private static final String M = "flagway.migrations.users-email.";

    /** The four required keys of migration users-email, in a map that keeps their order. */
    private static Map<String, String> minimal() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(M + "table", "users");
        map.put(M + "key-column", "id");
        map.put(M + "legacy-column", "email");
        map.put(M + "new-column", "email_normalized");
        return map;
    }

    private static Map<String, String> minimalWith(String key, String value) {
        Map<String, String> map = minimal();
        map.put(key, value);
        return map;
    }

    private static FlagwayConfigException failure(Map<String, String> properties) {
        return catchThrowableOfType(FlagwayConfigException.class, () -> FlagwayProperties.bind(properties));
    }

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }

    @Test
    void fullPropertyFileBindsToTheObjectsTheBuildersMake() throws IOException {
        FlagwaySettings bound = FlagwayProperties.bind(load("""
                flagway.default-stage=dual_write
                flagway.flag-error-log-interval=30s
                flagway.shadow.threads=4
                flagway.shadow.queue-capacity=5000
                flagway.migrations.users-email.flag=users-email-rollout
                flagway.migrations.users-email.table=app.users
                flagway.migrations.users-email.key-column=id
                flagway.migrations.users-email.legacy-column=email
                flagway.migrations.users-email.new-column=email_normalized
                flagway.migrations.users-email.default-stage=shadow
                flagway.migrations.users-email.write-policy=strict
                flagway.migrations.users-email.breaker.error-rate-threshold=0.05
                flagway.migrations.users-email.breaker.p95-latency-threshold=300ms
                flagway.migrations.users-email.breaker.p95-legacy-ratio-threshold=2.5
                flagway.migrations.users-email.breaker.mismatch-rate-threshold=0.002
                flagway.migrations.users-email.breaker.window=30s
                flagway.migrations.users-email.breaker.minimum-calls=50
                flagway.migrations.users-email.breaker.wait-in-open=PT5M
                flagway.migrations.users-email.breaker.half-open-calls=5
                flagway.migrations.users-email.shadow.sample-rate=0.5
                flagway.migrations.users-email.shadow.live-sample-rate=0.1
                flagway.migrations.users-email.shadow.timeout=2s
                flagway.migrations.users-email.shadow.deterministic=true
                flagway.migrations.users-email.shadow.comparator=canonical-bytes
                flagway.migrations.orders-total.table=orders
                flagway.migrations.orders-total.key-column=order_id
                flagway.migrations.orders-total.legacy-column=total
                flagway.migrations.orders-total.new-column=total_cents
                """));

        Migration usersEmail = Migration.builder("users-email")
                .flag("users-email-rollout").table("app.users").keyColumn("id")
                .legacyColumn("email").newColumn("email_normalized")
                .defaultStage(Stage.SHADOW).writePolicy(WritePolicy.STRICT)
                .breaker(BreakerConfig.custom()
                        .errorRateThreshold(0.05).p95LatencyThreshold(Duration.ofMillis(300))
                        .p95LegacyRatioThreshold(2.5).mismatchRateThreshold(0.002)
                        .window(Duration.ofSeconds(30)).minimumCalls(50)
                        .waitInOpen(Duration.ofMinutes(5)).halfOpenCalls(5).build())
                .shadow(ShadowConfig.custom()
                        .sampleRate(0.5).liveSampleRate(0.1).timeout(Duration.ofSeconds(2))
                        .deterministic(true).comparator(ShadowComparator.canonicalBytes()).build())
                .build();
        Migration ordersTotal = Migration.builder("orders-total")
                .table("orders").keyColumn("order_id").legacyColumn("total").newColumn("total_cents")
                .defaultStage(Stage.DUAL_WRITE)
                .build();
        FlagwaySettings expected = FlagwaySettings.custom()
                .defaultStage(Stage.DUAL_WRITE).flagErrorLogInterval(Duration.ofSeconds(30))
                .shadowThreads(4).shadowQueueCapacity(5000)
                .migration(usersEmail).migration(ordersTotal)
                .build();
        assertThat(bound).isEqualTo(expected);
        assertThat(bound.migration("users-email")).contains(usersEmail);
        assertThat(bound.migration("orders-total")).contains(ordersTotal);
    }

    @Test
    void absentKeysTakeTheBuildersDefaults() {
        FlagwaySettings bound = FlagwayProperties.bind(minimal());

        assertThat(bound.defaultStage()).isEqualTo(FlagwaySettings.ofDefaults().defaultStage());
        assertThat(bound.flagErrorLogInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(bound.shadowThreads()).isEqualTo(2);
        assertThat(bound.shadowQueueCapacity()).isEqualTo(1000);
        Migration usersEmail = bound.migration("users-email").orElseThrow();
        assertThat(usersEmail).isEqualTo(Migration.builder("users-email")
                .table("users").keyColumn("id").legacyColumn("email").newColumn("email_normalized").build());
        assertThat(usersEmail.flagKey()).isEqualTo("users-email");
        assertThat(usersEmail.breaker()).isEqualTo(BreakerConfig.ofDefaults());
        assertThat(usersEmail.breaker().waitInOpen()).isEmpty();
        assertThat(usersEmail.shadow()).isEqualTo(ShadowConfig.ofDefaults());
    }

    @Test
    void theBackfillLatencySignalIsOnByDefaultOverTheRequestTimersAndMayBeRenamedOrTurnedOff() {
        FlagwaySettings defaults = FlagwayProperties.bind(minimal());
        Map<String, String> changed = minimalWith("flagway.backfill.latency.enabled", "false");
        changed.put("flagway.backfill.latency.meter", "checkout.requests");
        FlagwaySettings bound = FlagwayProperties.bind(changed);

        assertThat(defaults.backfillLatencyEnabled()).isTrue();
        assertThat(defaults.backfillLatencyMeter()).isEqualTo("http.server.requests");
        assertThat(bound.backfillLatencyEnabled()).isFalse();
        assertThat(bound.backfillLatencyMeter()).isEqualTo("checkout.requests");
        assertThat(bound).isNotEqualTo(defaults);
        assertThat(bound.toString()).contains("backfill.latency.enabled=false", "backfill.latency.meter=checkout.requests");
        changed.put("flagway.backfill.latency.meter", " ");
        assertThat(failure(changed).problems()).containsExactly("flagway.backfill.latency.meter = '': expected a "
                + "Micrometer timer name, e.g. http.server.requests");
    }

    @Test
    void noFlagwayKeysGiveTheDefaultSettings() {
        assertThat(FlagwayProperties.bind(Map.of())).isEqualTo(FlagwaySettings.ofDefaults());
    }

    @Test
    void migrationWithoutItsOwnDefaultStageTakesTheGlobalOne() {
        Map<String, String> properties = minimalWith("flagway.default-stage", "live");
        properties.put("flagway.migrations.other.table", "t");
        properties.put("flagway.migrations.other.key-column", "id");
        properties.put("flagway.migrations.other.legacy-column", "a");
        properties.put("flagway.migrations.other.new-column", "b");
        properties.put("flagway.migrations.other.default-stage", "off");

        FlagwaySettings bound = FlagwayProperties.bind(properties);

        assertThat(bound.migration("users-email").orElseThrow().defaultStage()).isEqualTo(Stage.LIVE);
        assertThat(bound.migration("other").orElseThrow().defaultStage()).isEqualTo(Stage.OFF);
    }

    @Test
    void valuesAreTrimmedAndNamesIgnoreCase() {
        Map<String, String> properties = minimal();
        properties.put(M + "table", "  users\t");
        properties.put(M + "default-stage", " Dual-Write ");
        properties.put(M + "write-policy", "STRICT");
        properties.put(M + "shadow.deterministic", " TRUE ");
        properties.put(M + "shadow.comparator", "Canonical-Bytes");
        properties.put(M + "breaker.window", " 1m ");

        Migration bound = FlagwayProperties.bind(properties).migration("users-email").orElseThrow();

        assertThat(bound.table()).isEqualTo("users");
        assertThat(bound.defaultStage()).isEqualTo(Stage.DUAL_WRITE);
        assertThat(bound.writePolicy()).isEqualTo(WritePolicy.STRICT);
        assertThat(bound.shadow().deterministic()).isTrue();
        assertThat(bound.shadow().comparator()).isEqualTo(ShadowComparator.canonicalBytes());
        assertThat(bound.breaker().window()).isEqualTo(Duration.ofMinutes(1));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            breaker.error-rate-threshold    | 1%    | 0.01
            breaker.error-rate-threshold    | 0.01  | 0.01
            breaker.mismatch-rate-threshold | 0.3 % | 0.003
            shadow.sample-rate              | 100%  | 1.0
            shadow.live-sample-rate         | 0%    | 0.0
            shadow.live-sample-rate         | 2.5%  | 0.025
            """)
    void ratiosAndSharesAcceptDecimalsAndPercentages(String name, String value, double expected) {
        Migration bound = FlagwayProperties.bind(minimalWith(M + name, value)).migration("users-email").orElseThrow();

        double actual = switch (name) {
            case "breaker.error-rate-threshold" -> bound.breaker().errorRateThreshold();
            case "breaker.mismatch-rate-threshold" -> bound.breaker().mismatchRateThreshold();
            case "shadow.sample-rate" -> bound.shadow().sampleRate();
            default -> bound.shadow().liveSampleRate();
        };
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            flagway.migrations.users-email.breaker.error-rate-threshold      | abc    | flagway.migrations.users-email.breaker.error-rate-threshold = 'abc': expected a ratio in (0, 1], e.g. 0.01 or 1%
            flagway.migrations.users-email.breaker.error-rate-threshold      | NaN    | = 'NaN': expected a ratio in (0, 1]
            flagway.migrations.users-email.breaker.error-rate-threshold      | 0      | = '0': error-rate-threshold must be a ratio in (0, 1], e.g. 0.01, but was 0.0
            flagway.migrations.users-email.breaker.mismatch-rate-threshold   | 150%   | = '150%': mismatch-rate-threshold must be a ratio in (0, 1], e.g. 0.01, but was 1.5
            flagway.migrations.users-email.shadow.sample-rate                | 1.5    | = '1.5': shadow sample-rate must be a share in [0, 1], e.g. 0.05, but was 1.5
            flagway.migrations.users-email.shadow.live-sample-rate           | half   | = 'half': expected a share in [0, 1], e.g. 0.05 or 5%
            flagway.migrations.users-email.breaker.p95-legacy-ratio-threshold | 0.5   | = '0.5': p95-legacy-ratio-threshold must be a finite multiple greater than 1, e.g. 2.0, but was 0.5
            flagway.migrations.users-email.breaker.p95-legacy-ratio-threshold | 2x    | = '2x': expected a number greater than 1, e.g. 2.0
            flagway.migrations.users-email.breaker.p95-latency-threshold     | fast   | = 'fast': expected a duration such as 250ms, 2s, 5m, 1h, 7d or PT2S
            flagway.migrations.users-email.breaker.p95-latency-threshold     | 250    | = '250': expected a duration such as 250ms
            flagway.migrations.users-email.breaker.p95-latency-threshold     | PT0S   | = 'PT0S': p95-latency-threshold must be positive but was 0ms
            flagway.migrations.users-email.shadow.timeout                    | PT-1S  | = 'PT-1S': shadow timeout must be positive but was
            flagway.migrations.users-email.breaker.wait-in-open              | 0s     | = '0s': wait-in-open must be positive but was 0ms
            flagway.migrations.users-email.breaker.window                    | 1500ms | = '1500ms': window must be whole seconds between 1s and 1h but was 1500ms
            flagway.migrations.users-email.breaker.window                    | 10 sec | = '10 sec': expected a duration in whole seconds such as 10s, 1m or PT30S
            flagway.migrations.users-email.breaker.minimum-calls             | ten    | = 'ten': expected an integer, e.g. 100
            flagway.migrations.users-email.breaker.minimum-calls             | 1.5    | = '1.5': expected an integer
            flagway.migrations.users-email.breaker.half-open-calls           | 0      | = '0': half-open-calls must be at least 1 but was 0
            flagway.migrations.users-email.shadow.deterministic              | yes    | = 'yes': expected true or false
            flagway.migrations.users-email.default-stage                     | on     | = 'on': expected one of off, dual_write, shadow, live, ramp_down, complete
            flagway.migrations.users-email.write-policy                      | lenient | = 'lenient': expected repair or strict
            flagway.migrations.users-email.shadow.comparator                 | fuzzy  | = 'fuzzy': expected equality or canonical-bytes
            flagway.default-stage                                            | paused | flagway.default-stage = 'paused': expected one of off, dual_write
            flagway.flag-error-log-interval                                  | 0ms    | flagway.flag-error-log-interval = '0ms': flag error log interval must be positive but was 0ms
            flagway.flag-error-log-interval                                  | often  | flagway.flag-error-log-interval = 'often': expected a duration
            flagway.shadow.threads                                           | 65     | flagway.shadow.threads = '65': shadow threads must be between 1 and 64 but was 65
            flagway.shadow.threads                                           | 99999999999 | flagway.shadow.threads = '99999999999': expected an integer
            flagway.shadow.queue-capacity                                    | 0      | flagway.shadow.queue-capacity = '0': shadow queue capacity must be between 1 and 1000000 but was 0
            flagway.migrations.users-email.rollout.steps                     | 10,5,100 | = '10,5,100': migration 'users-email': rollout steps must be strictly increasing, but 5.0 follows 10.0
            flagway.migrations.users-email.rollout.steps                     | 0,50   | = '0,50': migration 'users-email': rollout step 0.0 must be a percent in (0, 100]
            flagway.migrations.users-email.rollout.steps                     | 10,150 | = '10,150': migration 'users-email': rollout step 150.0 must be a percent in (0, 100]
            flagway.migrations.users-email.rollout.steps                     | 10,,50 | = '10,,50': expected comma-separated percents, e.g. 1,10,50,100
            flagway.migrations.users-email.rollout.hold                      | 0s     | = '0s': rollout hold of migration 'users-email' must be positive but was 0ms
            flagway.rollout.tick                                             | 5ms    | flagway.rollout.tick = '5ms': rollout tick must be between 10ms and 1m but was 5ms
            flagway.fleet-health.interval                                    | 2m     | flagway.fleet-health.interval = '2m': fleet health interval must be between 10ms and 1m but was 2m
            """)
    void invalidValueNamesKeyValueAndExpectation(String key, String value, String message) {
        FlagwayConfigException e = failure(minimalWith(key, value));

        assertThat(e.problems()).singleElement().asString().startsWith(key).contains(message);
        assertThat(e).hasMessageContaining(message);
    }

    @Test
    void theRolloutPlanAndTickAreBoundWithTheirDefaults() {
        Migration plain = FlagwayProperties.bind(minimalWith(M + "write-policy", "repair")).migration("users-email")
                .orElseThrow();
        assertThat(plain.rolloutPlan()).isEqualTo(dev.flagway.RolloutPlan.DEFAULT);
        Map<String, String> properties = minimalWith(M + "rollout.steps", "5, 25%, 100");
        properties.put(M + "rollout.hold", "90s");
        properties.put("flagway.rollout.tick", "250ms");
        FlagwaySettings settings = FlagwayProperties.bind(properties);
        Migration bound = settings.migration("users-email").orElseThrow();
        assertThat(bound.rolloutPlan().steps()).containsExactly(5.0, 25.0, 100.0);
        assertThat(bound.rolloutPlan().hold()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(bound.rolloutPlan().describe()).isEqualTo("5%, 25%, 100%, each held 90s");
        assertThat(settings.rolloutTick()).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(settings.fleetHealthInterval()).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyValueIsAnErrorNotTakenAsAbsent(String empty) {
        Map<String, String> properties = minimalWith(M + "breaker.wait-in-open", empty);
        properties.put(M + "table", empty);
        properties.put("flagway.shadow.threads", empty);

        assertThat(failure(properties).problems()).containsExactly(
                "flagway.shadow.threads = '': expected an integer, e.g. 100",
                M + "table = '': expected a table name, table or schema.table",
                M + "breaker.wait-in-open = '': expected a duration such as 250ms, 2s, 5m, 1h, 7d or PT2S");
    }

    @Test
    void nullValueInAMapIsAnErrorNotTakenAsAbsent() {
        Map<String, String> properties = new HashMap<>(minimal());
        properties.put(M + "shadow.deterministic", null);

        assertThat(failure(properties).problems()).containsExactly(M + "shadow.deterministic = '': expected true or false");
    }

    @Test
    void eachMissingRequiredKeyIsReported() {
        FlagwayConfigException e = failure(Map.of(M + "flag", "users-email"));

        assertThat(e.problems()).containsExactly(
                M + "table is required", M + "key-column is required",
                M + "legacy-column is required", M + "new-column is required");
    }

    @Test
    void invalidValueOfARequiredKeyIsNotAlsoReportedAsMissing() {
        assertThat(failure(minimalWith(M + "key-column", "")).problems())
                .containsExactly(M + "key-column = '': expected a column name, e.g. id");
    }

    @Test
    void allProblemsAreReportedTogetherOnePerLine() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("flagway.shadow.threads", "0");
        properties.put(M + "table", "users");
        properties.put(M + "key-column", "id");
        properties.put(M + "legacy-column", "email");
        properties.put(M + "breaker.error-rate-threshold", "abc");
        properties.put(M + "shadow.timeout", "soon");
        properties.put(M + "breaker.error-rate-treshold", "0.01");

        FlagwayConfigException e = failure(properties);

        assertThat(e.problems()).containsExactly(
                "flagway.shadow.threads = '0': shadow threads must be between 1 and 64 but was 0",
                M + "breaker.error-rate-threshold = 'abc': expected a ratio in (0, 1], e.g. 0.01 or 1%",
                M + "shadow.timeout = 'soon': expected a duration such as 250ms, 2s, 5m, 1h, 7d or PT2S",
                M + "new-column is required",
                "unknown property " + M + "breaker.error-rate-treshold; did you mean " + M + "breaker.error-rate-threshold?");
        assertThat(e.getMessage().lines().toList())
                .containsExactly("Invalid Flagway configuration (5 problems):",
                        "  " + e.problems().get(0), "  " + e.problems().get(1), "  " + e.problems().get(2),
                        "  " + e.problems().get(3), "  " + e.problems().get(4));
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            flagway.migrations.users-email.breaker.error-rate-treshold | flagway.migrations.users-email.breaker.error-rate-threshold
            flagway.migrations.users-email.keycolumn                   | flagway.migrations.users-email.key-column
            flagway.migrations.users-email.shadow.sample_rate          | flagway.migrations.users-email.shadow.sample-rate
            flagway.migrations.users-email.error-rate-threshold        | flagway.migrations.users-email.breaker.error-rate-threshold
            flagway.migrations.users-email.breaker.windows             | flagway.migrations.users-email.breaker.window
            flagway.migration.users-email.table                        | flagway.migrations.users-email.table
            flagway.migrations.orders.tabel                            | flagway.migrations.orders.table
            flagway.shadow.thread                                      | flagway.shadow.threads
            flagway.default_stage                                      | flagway.default-stage
            flagway.Shadow.Queue-Capacity                              | flagway.shadow.queue-capacity
            """)
    void misspelledKeySuggestsTheNearestKnownKey(String typo, String suggestion) {
        assertThat(failure(minimalWith(typo, "1")).problems())
                .contains("unknown property " + typo + "; did you mean " + suggestion + "?");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "flagway.migrations.users-email.colour",
            "flagway.migrations.users-email.breaker.timeout",
            "flagway.enabled",
            "flagway.migrations",
            "flagway."})
    void unknownKeyWithoutCloseMatchIsReportedWithoutSuggestion(String key) {
        assertThat(failure(minimalWith(key, "x")).problems()).containsExactly("unknown property " + key);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            flagway.migrations.Users Email.table | migration id 'Users Email' is invalid
            flagway.migrations.users/email.table | migration id 'users/email' is invalid
            flagway.migrations..table            | migration id must not be empty
            """)
    void invalidMigrationIdIsReportedOnceNamingTheKey(String key, String message) {
        String other = key.replace(".table", ".key-column");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(key, "users");
        properties.put(other, "id");

        assertThat(failure(properties).problems()).singleElement().asString().startsWith(key + ": " + message);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            table         | users; DROP TABLE x     | is not a plain SQL identifier
            table         | "users"                 | is not a plain SQL identifier
            table         | 'users'                 | is not a plain SQL identifier
            table         | a.b.c                   | has more than one '.'
            key-column    | id' OR '1'='1           | is not a plain SQL identifier
            legacy-column | email--                 | is not a plain SQL identifier
            new-column    | `email`                 | is not a plain SQL identifier
            """)
    void hostileIdentifiersAreRefusedNamingTheKey(String name, String value, String reason) {
        assertThat(failure(minimalWith(M + name, value)).problems()).singleElement().asString()
                .startsWith(M + name + " = '" + value + "': ")
                .contains(reason);
    }

    @Test
    void overlongIdentifierIsRefusedWithAnAbbreviatedValue() {
        String hostile = "a".repeat(200);

        String problem = failure(minimalWith(M + "new-column", hostile)).problems().get(0);

        assertThat(problem).startsWith(M + "new-column = '" + "a".repeat(77) + "...': ")
                .contains("is 200 characters long; at most 63 are allowed")
                .doesNotContain("a".repeat(100));
    }

    @Test
    void lineBreaksInValuesCannotSplitAProblemLine() {
        FlagwayConfigException e = failure(minimalWith(M + "table", "users\nflagway.fake = 'x': injected"));

        assertThat(e.problems()).singleElement().asString().doesNotContain("\n").contains("users\\nflagway.fake");
        assertThat(e.getMessage().lines()).hasSize(2);
    }

    @Test
    void sameLegacyAndNewColumnIsReportedForTheMigration() {
        assertThat(failure(minimalWith(M + "new-column", "EMAIL")).problems()).containsExactly(
                "flagway.migrations.users-email: migration 'users-email': legacy column and new column are both 'email'");
    }

    @Test
    void keysOutsideFlagwayAreIgnored() {
        Map<String, String> properties = minimal();
        properties.put("spring.datasource.url", "jdbc:postgresql://db/app");
        properties.put("flagwayx.shadow.threads", "nonsense");
        properties.put("flagway", "x");
        properties.put("FLAGWAY.shadow.threads", "0");

        assertThat(FlagwayProperties.bind(properties)).isEqualTo(FlagwayProperties.bind(minimal()));
    }

    @Test
    void mapAndPropertiesFormsAgree() {
        Map<String, String> map = minimal();
        map.put("flagway.shadow.threads", "8");
        map.put(M + "breaker.wait-in-open", "10m");
        map.put("unrelated", "x");
        Properties properties = new Properties();
        properties.putAll(map);
        properties.put("not-a-string", 42);

        assertThat(FlagwayProperties.bind(properties)).isEqualTo(FlagwayProperties.bind(map));

        map.put(M + "breaker.window", "1.5s");
        properties.setProperty(M + "breaker.window", "1.5s");
        assertThat(failure(map).problems())
                .isEqualTo(catchThrowableOfType(FlagwayConfigException.class, () -> FlagwayProperties.bind(properties))
                        .problems());
    }

    @Test
    void propertiesDefaultsAreBound() {
        Properties defaults = new Properties();
        defaults.putAll(minimal());
        Properties properties = new Properties(defaults);
        properties.setProperty("flagway.shadow.threads", "3");

        FlagwaySettings bound = FlagwayProperties.bind(properties);

        assertThat(bound.shadowThreads()).isEqualTo(3);
        assertThat(bound.migration("users-email")).isPresent();
    }

    @Test
    void migrationsKeepTheOrderOfTheirFirstKey() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String id : List.of("zeta", "alpha", "mid")) {
            properties.put("flagway.migrations." + id + ".table", "t_" + id.charAt(0));
            properties.put("flagway.migrations." + id + ".key-column", "id");
            properties.put("flagway.migrations." + id + ".legacy-column", "a");
            properties.put("flagway.migrations." + id + ".new-column", "b");
        }

        assertThat(FlagwayProperties.bind(properties).migrations()).containsOnlyKeys("zeta", "alpha", "mid")
                .extractingFromEntries(Map.Entry::getKey).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void migrationIdMayContainDots() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("flagway.migrations.billing.v2.table", "invoices");
        properties.put("flagway.migrations.billing.v2.key-column", "id");
        properties.put("flagway.migrations.billing.v2.legacy-column", "amount");
        properties.put("flagway.migrations.billing.v2.new-column", "amount_cents");
        properties.put("flagway.migrations.billing.v2.shadow.timeout", "3s");

        Migration bound = FlagwayProperties.bind(properties).migration("billing.v2").orElseThrow();

        assertThat(bound.table()).isEqualTo("invoices");
        assertThat(bound.shadow().timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void boundMigrationUsesTheIdentityTransformAndDerivesOneInCode() {
        Migration bound = FlagwayProperties.bind(minimal()).migration("users-email").orElseThrow();
        Function<Object, Object> lowerCase = v -> v.toString().toLowerCase();

        Migration derived = bound.toBuilder().transform(lowerCase).build();

        assertThat(bound.transform()).isSameAs(Function.identity());
        assertThat(derived.transform().apply("A@B.C")).isEqualTo("a@b.c");
        assertThat(derived.table()).isEqualTo(bound.table());
    }
}
