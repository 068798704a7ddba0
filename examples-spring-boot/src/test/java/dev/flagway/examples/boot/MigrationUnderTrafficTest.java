package dev.flagway.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationLog;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The example application migrates {@code users.email} while users read and change their addresses
 * over HTTP: the test plays the operator, taking the migration through its lifecycle with
 * {@code POST /actuator/flagway/users-email} (expand, dual write, backfill, verify, shadow, live 10, 50 and
 * 100%, ramp down, complete), trying moves the lifecycle must refuse, and deploying a broken version of the
 * new code for a while.
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
        // the H2 run keeps the default, whose backfills first take the requests' baseline latency for
        // 5 s; the server runs skip that wait to keep the build short
        registry.add("flagway.backfill.latency.enabled", () -> "false");
    }

    @Test
    void migratesUnderTrafficWithoutAFailedRequestAWrongAnswerOrALostWrite() throws Exception {
        createUsersTableAndForgetEarlierRuns();
        assertThat(move("complete", "skipping ahead", 409)).contains("\"legalMoves\":[\"EXPAND\"]");
        move("expand", "new release deployed");  // the column the properties declare, the flag at off
        MigrationRuntime usersEmail = flagway.migration(FLAG);
        Instant start = Instant.now();

        try (Traffic traffic = new Traffic(port, USERS, 4, Duration.ofMillis(5), Duration.ofMinutes(3)).start()) {
            served();
            phase();
            move("dual-write", "dual writes start");
            served();
            traffic.awaitRequestsSentBefore(System.nanoTime());
            phase();
            assertThat(move("shadow", "before the backfill", 409)).contains("backfill");
            move("backfill", "history");
            assertThat(move("verify", "every row")).contains("\"passed\":true");
            move("shadow", "backfill verified");
            served();
            phase();
            for (int percent : new int[] {10, 50, 100}) {
                live(percent);
                served();
                phase();
            }

            fault.on = true;
            awaitTrue("the breaker trips", () -> usersEmail.breaker().state() == CircuitBreaker.State.OPEN);
            awaitTrue("the breaker disables the flag for the fleet", () -> !admin.get(FLAG).enabled());
            assertThat(actuator("GET", "/health/flagway", null)).contains("\"status\":\"BREAKER_OPEN\"");
            assertThat(actuator("GET", "/health", null)).as("the application stays up").startsWith("{\"status\":\"UP\"");
            assertThat(move("ramp-down", "while tripped", 409)).contains("disabled");
            phase();
            fault.on = false;
            move("backfill", "drain the rows whose new-column write failed");
            move("enable-flag", "", 400);  // no reason: refused
            assertThat(admin.get(FLAG).enabled()).as("a refused move changes nothing").isFalse();
            move("reset-breaker", "fixed release deployed");
            assertThat(move("enable-flag", "fixed release deployed")).contains("\"enabled\":true")
                    .contains("\"state\":\"closed\"");
            assertThat(admin.history(FLAG)).last().satisfies(change -> assertThat(change.actor()).isEqualTo(OPERATOR));
            served();
            phase();

            move("ramp-down", "every user on the new column");
            served();
            phase();
            move("complete", "legacy column no longer written");
            served();
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
            assertThat(move("contract", "drop the legacy column", 409)).as("a whole business cycle at 100% first")
                    .contains("of the required 7d").contains("fallbacks to the legacy column");
            assertThat(move("backfill", "again", 409)).contains("overwrite");
        }
    }

    /** The operator's move through {@code POST /actuator/flagway/users-email}; returns the answer, asserting a 200. */
    private String move(String action, String reason) throws Exception {
        return move(action, reason, 200);
    }

    private String move(String action, String reason, int status) throws Exception {
        return actuator("POST", "/flagway/" + FLAG, "{\"action\":\"" + action + "\",\"reason\":\"" + reason
                + "\",\"actor\":\"" + OPERATOR + "\"}", status);
    }

    private void live(int percent) throws Exception {
        actuator("POST", "/flagway/" + FLAG, "{\"action\":\"live\",\"reason\":\"live " + percent
                + "%\",\"actor\":\"" + OPERATOR + "\",\"percent\":" + percent + "}", 200);
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
        assertThat(response.statusCode()).as(method + " /actuator" + path + " " + json + ": " + response.body())
                .isEqualTo(status);
        return response.body();
    }

    private void createUsersTableAndForgetEarlierRuns() {
        jdbc.execute("drop table if exists users");
        jdbc.execute("create table users (id bigint primary key, email varchar(320))");
        jdbc.batchUpdate("insert into users (id, email) values (?, ?)", LongStream.rangeClosed(1, USERS)
                .mapToObj(id -> new Object[] {id, Ledger.signUpEmail(id)}).toList());
        admin.find(FLAG).ifPresent(flag -> admin.delete(FLAG, flag.version(), OPERATOR, "fresh test run"));
        for (String table : List.of(MigrationLifecycles.DEFAULT_TABLE, RepairLog.DEFAULT_TABLE, BadRowLog.DEFAULT_TABLE,
                CheckpointStore.DEFAULT_TABLE, VerificationLog.DEFAULT_TABLE,
                VerificationLog.historyTable(VerificationLog.DEFAULT_TABLE))) {
            try {
                jdbc.update("delete from " + table + " where migration_id = ?", FLAG);
            } catch (BadSqlGrammarException notCreatedYet) {
                // nothing to forget
            }
        }
    }

    /** Waits until this instance's provider serves the flag's stored version: a change is seen within one refresh. */
    private void served() throws InterruptedException {
        long version = admin.get(FLAG).version();
        Client client = OpenFeatureAPI.getInstance().getClient("flagway");
        awaitTrue("version " + version + " of the flag is served", () -> {
            Long served = client.getStringDetails(FLAG, "off", new ImmutableContext("probe")).getFlagMetadata()
                    .getLong("version");
            return served != null && served >= version;
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
