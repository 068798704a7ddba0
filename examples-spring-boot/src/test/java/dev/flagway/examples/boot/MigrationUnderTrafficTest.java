package dev.flagway.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Flagway;
import dev.flagway.Migration;
import dev.flagway.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.backfill.Transform;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagState;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The example application migrates {@code users.email} while users read and change their addresses
 * over HTTP: the test plays the operator, moving the flag through the stages with the provider's
 * {@link FlagAdmin}, running the backfill, and deploying a broken version of the new code for a while.
 * No request may fail, no answer may be wrong, and every acknowledged write must be in the new column
 * at the end. Subclasses choose the database.
 */
@SpringBootTest(classes = {UsersApplication.class, MigrationUnderTrafficTest.Faults.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "flagway.provider.refresh-interval=100ms")
abstract class MigrationUnderTrafficTest {
    private static final int USERS = 2_000;
    private static final Duration PHASE = Duration.ofSeconds(1);
    private static final String FLAG = "users-email";
    private static final String OPERATOR = "operator";

    @LocalServerPort
    private int port;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private Flagway flagway;
    @Autowired
    private FlagAdmin admin;
    @Autowired
    private FallbackJournal fallbacks;
    @Autowired
    private ModernFault fault;

    @TestConfiguration(proxyBeanMethods = false)
    static class Faults {
        @Bean
        static ModernFault modernFault() {
            return new ModernFault();
        }
    }

    /** Points the application at {@code database} (its default is H2 in memory). */
    static void useDatabase(TestDatabase database, DynamicPropertyRegistry registry) {
        TestDatabase.Endpoint endpoint = database.endpoint();
        registry.add("spring.datasource.url", endpoint::url);
        registry.add("spring.datasource.username", endpoint::user);
        registry.add("spring.datasource.password", endpoint::password);
    }

    @Test
    void migratesUnderTrafficWithoutAFailedRequestAWrongAnswerOrALostWrite() throws Exception {
        createUsersTableAndForgetEarlierRuns();
        jdbc.execute("alter table users add column email_normalized varchar(320)");  // expand, before the new release
        admin.createMigrationFlag(FLAG, Stage.OFF, OPERATOR, "new release deployed");
        MigrationRuntime usersEmail = flagway.migration(FLAG);
        Instant start = Instant.now();

        try (Traffic traffic = new Traffic(port, USERS, 4, Duration.ofMillis(5), Duration.ofMinutes(3)).start()) {
            phase();
            served(admin.setStage(FLAG, Stage.DUAL_WRITE, OPERATOR, "dual writes start"));
            traffic.awaitRequestsSentBefore(System.nanoTime());
            phase();
            assertThat(backfill(usersEmail.migration()).rowsUpdatedThisRun()).as("rows backfilled").isPositive();
            VerificationReport verified = Verifier.builder(usersEmail.migration(), dataSource, dialect()).build().verify();
            assertThat(verified.passed()).as("verification after the backfill: %s", verified.summary()).isTrue();
            served(admin.setStage(FLAG, Stage.SHADOW, OPERATOR, "backfill verified"));
            phase();
            for (int percent : new int[] {10, 50, 100}) {
                served(admin.setRollout(FLAG, Stage.LIVE, percent, OPERATOR, "live " + percent + "%"));
                phase();
            }

            fault.on = true;
            awaitTrue("the breaker trips", () -> usersEmail.breaker().state() == CircuitBreaker.State.OPEN);
            awaitTrue("the breaker disables the flag for the fleet", () -> !admin.get(FLAG).enabled());
            assertThat(actuator("GET", "/health/flagway", null)).contains("\"status\":\"BREAKER_OPEN\"");
            assertThat(actuator("GET", "/health", null)).as("the application stays up").startsWith("{\"status\":\"UP\"");
            phase();
            fault.on = false;
            backfill(usersEmail.migration());  // drains the repair log: rows whose new-column write failed
            actuator("POST", "/flagway/" + FLAG, move("enable-flag", ""), 400);  // no reason: refused
            assertThat(admin.get(FLAG).enabled()).as("a refused move changes nothing").isFalse();
            actuator("POST", "/flagway/" + FLAG, move("reset-breaker", "fixed release deployed"));
            assertThat(actuator("POST", "/flagway/" + FLAG, move("enable-flag", "fixed release deployed")))
                    .contains("\"enabled\":true").contains("\"state\":\"closed\"");
            served(admin.get(FLAG));
            assertThat(admin.history(FLAG)).last().satisfies(change -> assertThat(change.actor()).isEqualTo(OPERATOR));
            phase();

            admin.setStage(FLAG, Stage.RAMP_DOWN, OPERATOR, "every user on the new column");
            served(admin.clearRollout(FLAG, OPERATOR, "every user on the new column"));
            phase();
            served(admin.setStage(FLAG, Stage.COMPLETE, OPERATOR, "legacy column no longer written"));
            phase();
            traffic.close();

            assertThat(traffic.problems()).as("failed requests and wrong answers").isEmpty();
            assertThat(traffic.failures()).isZero();
            assertThat(traffic.wrongAnswers()).isZero();
            assertThat(lostWrites(traffic.ledger())).as("acknowledged writes missing from the new column").isZero();
            assertThat(traffic.reads()).isGreaterThan(200);
            assertThat(traffic.ledger().acknowledgedWrites()).isGreaterThan(50);
            assertThat(fallbacks.fallbacksSince(FLAG, start)).as("reads answered from the legacy column in the fault")
                    .isPositive();
        }
    }

    /** The operator's move as the endpoint takes it. */
    private static String move(String action, String reason) {
        return "{\"action\":\"" + action + "\",\"reason\":\"" + reason + "\",\"actor\":\"" + OPERATOR + "\"}";
    }

    /** Calls {@code /actuator}{@code path} and returns the body, asserting a 200. */
    private String actuator(String method, String path, String json) throws Exception {
        return actuator(method, path, json, 200);
    }

    /** Calls {@code /actuator}{@code path} and returns the body, asserting {@code status}. */
    private String actuator(String method, String path, String json, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator" + path));
        request = json == null ? request.GET() : request.method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " /actuator" + path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    private void createUsersTableAndForgetEarlierRuns() {
        jdbc.execute("drop table if exists users");
        jdbc.execute("create table users (id bigint primary key, email varchar(320))");
        jdbc.batchUpdate("insert into users (id, email) values (?, ?)", LongStream.rangeClosed(1, USERS)
                .mapToObj(id -> new Object[] {id, Ledger.signUpEmail(id)}).toList());
        jdbc.update("delete from " + RepairLog.DEFAULT_TABLE + " where migration_id = ?", FLAG);
        admin.find(FLAG).ifPresent(flag -> admin.delete(FLAG, flag.version(), OPERATOR, "fresh test run"));
        try {
            jdbc.update("delete from " + CheckpointStore.DEFAULT_TABLE + " where migration_id = ?", FLAG);
        } catch (BadSqlGrammarException noBackfillYet) {
            // created by the first backfill
        }
    }

    private BackfillResult backfill(Migration migration) {
        return Backfill.builder(migration, dataSource, dialect())
                .transform(Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class)))))
                .build()
                .run();
    }

    private Dialect dialect() {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return switch (product) {
                case "PostgreSQL" -> new PostgresDialect();
                case "MySQL", "MariaDB" -> MySqlDialect.detect(dataSource);
                default -> new H2Dialect();
            };
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until this instance's provider serves {@code state}: a change is seen within one refresh. */
    private void served(FlagState state) throws InterruptedException {
        Client client = OpenFeatureAPI.getInstance().getClient("flagway");
        awaitTrue("version " + state.version() + " of the flag is served", () -> {
            Long served = client.getStringDetails(FLAG, "off", new ImmutableContext("probe")).getFlagMetadata()
                    .getLong("version");
            return served != null && served >= state.version();
        });
    }

    private long lostWrites(Ledger ledger) {
        Map<Long, String> stored = new HashMap<>();
        jdbc.query("select id, email_normalized from users", row -> {
            stored.put(row.getLong(1), row.getString(2));
        });
        return LongStream.rangeClosed(1, USERS)
                .filter(id -> ledger.expected(id) != null && !ledger.expected(id).equals(stored.get(id)))
                .count();
    }

    private static void phase() throws InterruptedException {
        Thread.sleep(PHASE.toMillis());  // traffic runs meanwhile: a phase is a span of time, not a condition
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
