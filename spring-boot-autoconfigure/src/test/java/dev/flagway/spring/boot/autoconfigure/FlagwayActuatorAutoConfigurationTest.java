package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.Stage;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.openfeature.FlagAdmin;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Actuator side on H2: the {@code flagway} endpoint's view and moves, the opt-in health indicator
 * that reports an open breaker without taking the application down, and when each bean is absent.
 */
class FlagwayActuatorAutoConfigurationTest {
    private static final String[] USERS_EMAIL = {
            "flagway.migrations.users-email.table=users",
            "flagway.migrations.users-email.key-column=id",
            "flagway.migrations.users-email.legacy-column=email",
            "flagway.migrations.users-email.new-column=email_normalized",
            "flagway.migrations.users-email.breaker.minimum-calls=5"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    FlagwayAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, FlagwayActuatorAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE")
            .withPropertyValues(USERS_EMAIL);

    @Test
    void theEndpointExistsOnlyWhenExposedAndTheHealthIndicatorOnlyWhenEnabled() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FlagwayEndpoint.class)
                .doesNotHaveBean("flagwayHealthIndicator"));
        runner.withPropertyValues("management.endpoints.web.exposure.include=flagway", "management.health.flagway.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(FlagwayEndpoint.class).hasBean("flagwayHealthIndicator"));
    }

    @Test
    void anOpenBreakerIsItsOwnHealthStatusNotDownAndTheEndpointShowsItAndResetsIt() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=flagway",
                "management.health.flagway.enabled=true", "flagway.provider.enabled=true",
                "flagway.provider.refresh-interval=50ms").run(context -> {
            HealthIndicator health = context.getBean("flagwayHealthIndicator", HealthIndicator.class);
            FlagwayEndpoint endpoint = context.getBean(FlagwayEndpoint.class);
            FlagAdmin admin = context.getBean(FlagAdmin.class);
            admin.createMigrationFlag("users-email", Stage.LIVE, "alice", "rollout");
            MigrationRuntime usersEmail = context.getBean(Flagway.class).migration("users-email");
            awaitTrue("the provider serves the flag", () -> usersEmail.flagStage("user-1") == Stage.LIVE);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            for (int i = 0; i < 10; i++) {
                usersEmail.reader().read("user-" + i, () -> "legacy", () -> {
                    throw new IllegalStateException("modern read fails");
                });
            }
            Health tripped = health.health();
            assertThat(tripped.getStatus()).isEqualTo(FlagwayHealthIndicator.BREAKER_OPEN).isNotEqualTo(Status.DOWN);
            assertThat(tripped.getDetails()).containsEntry("users-email", "open");
            awaitTrue("the breaker disabled the flag for the fleet", () -> !admin.get("users-email").enabled());

            Map<String, Object> view = endpoint.migration("users-email").getBody();  // the window stops at the trip: 5 calls
            assertThat(view).containsEntry("newColumn", "email_normalized");
            assertThat(nested(view, "breaker")).containsEntry("state", "open").containsEntry("failures", 5L);
            assertThat(nested(view, "flag")).containsEntry("stage", "live").containsEntry("enabled", false)
                    .containsEntry("updatedBy", "circuit-breaker");

            assertThat(endpoint.move("users-email", "reset-breaker", "fixed release deployed", null, null, signedIn("bob"))
                    .getStatus()).isEqualTo(200);
            assertThat(endpoint.move("users-email", "enable-flag", "fixed release deployed", "ignored-when-signed-in", null,
                    signedIn("bob")).getStatus()).isEqualTo(200);
            assertThat(usersEmail.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(admin.get("users-email").enabled()).isTrue();
            assertThat(admin.history("users-email")).last().satisfies(e -> {
                assertThat(e.actor()).isEqualTo("bob");
                assertThat(e.reason()).isEqualTo("fixed release deployed");
            });
            assertThat(nested(endpoint.migrations(), "migrations")).containsOnlyKeys("users-email");
        });
    }

    @Test
    void aMoveWithoutActorOrReasonOrOnAnUnknownMigrationOrActionIsRefusedAndChangesNothing() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=flagway").run(context -> {
            FlagwayEndpoint endpoint = context.getBean(FlagwayEndpoint.class);
            CircuitBreaker breaker = context.getBean(Flagway.class).migration("users-email").breaker();
            breaker.forceOpen("test");

            assertRefused(endpoint.move("users-email", "reset-breaker", "why", null, null, null), 400, "an actor is required");
            assertRefused(endpoint.move("users-email", "reset-breaker", " ", "carol", null, null), 400, "a reason is required");
            assertRefused(endpoint.move("orders-total", "reset-breaker", "why", "carol", null, null), 400,
                    "no migration 'orders-total'");
            assertRefused(endpoint.move("users-email", "drop-column", "why", "carol", null, null), 400,
                    "unknown action 'drop-column'");
            assertRefused(endpoint.move("users-email", "enable-flag", "why", "carol", null, null), 400,
                    "flagway.provider.enabled=true");
            assertRefused(endpoint.move("users-email", "expand", "why", "carol", null, null), 400,
                    "needs the migration lifecycle");
            assertThat(endpoint.migration("orders-total").getStatus()).isEqualTo(404);
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(nested(endpoint.migration("users-email").getBody(), "flag")).containsEntry("store", "external");
        });
    }

    @Test
    void theLifecycleRunsThroughTheEndpointAndAnIllegalMoveIsRefusedWithTheLegalMoves() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=flagway", "flagway.provider.enabled=true",
                "flagway.migrations.users-email.new-column-type=varchar(320)",
                "flagway.migrations.users-email.transform-sql=lower(trim(email))").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MigrationLifecycles.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.execute("create table users (id bigint primary key, email varchar(320))");
            jdbc.update("insert into users values (1, ' Ann@Example.COM '), (2, 'bob@example.com')");
            FlagwayEndpoint endpoint = context.getBean(FlagwayEndpoint.class);

            WebEndpointResponse<Map<String, Object>> early = endpoint.move("users-email", "complete", "too soon", "ops",
                    null, null);
            assertThat(early.getStatus()).isEqualTo(409);
            assertThat(early.getBody().get("error").toString()).contains("complete");
            assertThat(early.getBody()).containsEntry("legalMoves", List.of("EXPAND"));

            for (String action : List.of("expand", "dual-write", "backfill", "verify", "shadow")) {
                assertThat(endpoint.move("users-email", action, "change 42", "ops", null, null).getStatus())
                        .as(action).isEqualTo(200);
            }
            assertRefused(endpoint.move("users-email", "live", "change 42", "ops", null, null), 400, "live needs a percent");
            assertThat(endpoint.move("users-email", "live", "change 42", "ops", 100.0, null).getStatus()).isEqualTo(200);
            assertThat(endpoint.move("users-email", "ramp-down", "change 42", "ops", null, null).getStatus()).isEqualTo(200);
            WebEndpointResponse<Map<String, Object>> complete = endpoint.move("users-email", "complete", "change 42", "ops",
                    null, null);
            assertThat(complete.getStatus()).isEqualTo(200);
            assertThat(jdbc.queryForObject("select email_normalized from users where id = 1", String.class))
                    .isEqualTo("ann@example.com");
            assertThat(nested(complete.getBody(), "flag")).containsEntry("stage", "complete");
            assertThat(complete.getBody().get("lifecycle").toString()).contains("complete");
            assertThat(endpoint.move("users-email", "contract", "change 42", "ops", null, null).getStatus())
                    .as("the gate wants a whole business cycle at 100%").isEqualTo(409);
        });
    }

    @Test
    void theAutomaticRolloutIsStartedCappedAndPausedThroughTheEndpoint() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=flagway", "flagway.provider.enabled=true",
                "flagway.migrations.users-email.new-column-type=varchar(320)",
                "flagway.migrations.users-email.rollout.steps=5,50,100",
                "flagway.migrations.users-email.rollout.hold=1h").run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.execute("create table users (id bigint primary key, email varchar(320))");
            jdbc.update("insert into users values (1, 'ann@example.com')");
            FlagwayEndpoint endpoint = context.getBean(FlagwayEndpoint.class);
            assertThat(endpoint.move("users-email", "rollout-start", "change 7", "ops", null, null).getStatus())
                    .as("not from planned").isEqualTo(409);
            for (String action : List.of("expand", "dual-write", "backfill", "verify", "shadow", "rollout-start")) {
                assertThat(endpoint.move("users-email", action, "change 7", "ops", null, null).getStatus())
                        .as(action).isEqualTo(200);
            }
            WebEndpointResponse<Map<String, Object>> resume = endpoint.move("users-email", "rollout-resume", "change 7",
                    "ops", null, null);
            assertThat(resume.getStatus()).isEqualTo(409);
            assertThat(resume.getBody().get("error").toString()).contains("the automatic rollout is running");
            assertThat(resume.getBody().get("legalMoves").toString()).contains("PAUSE_ROLLOUT", "CAP_ROLLOUT");
            assertRefused(endpoint.move("users-email", "rollout-cap", "change 7", "ops", null, null), 400,
                    "rollout-cap needs a percent");
            assertRefused(endpoint.move("users-email", "rollout-cap", "change 7", "ops", 2.0, null), 409,
                    "cap 2% is below the current share 5%");
            assertThat(endpoint.move("users-email", "rollout-cap", "change 7", "ops", 50.0, null).getStatus())
                    .isEqualTo(200);
            WebEndpointResponse<Map<String, Object>> paused = endpoint.move("users-email", "rollout-pause", "change 7",
                    "ops", null, null);
            assertThat(paused.getStatus()).isEqualTo(200);
            assertThat(paused.getBody().get("lifecycle").toString()).contains("\"state\":\"paused\"",
                    "\"cap\":50.0", "\"steps\":[5.0,50.0,100.0]");
            assertThat(context.getBean(MigrationLifecycles.class).lifecycle("users-email").flag().orElseThrow()
                    .rolloutPercent()).isEqualTo(5.0);
        });
    }

    private static void assertRefused(WebEndpointResponse<Map<String, Object>> response, int status, String why) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getBody().get("error").toString()).contains(why);
    }

    private static SecurityContext signedIn(String name) {
        Principal principal = () -> name;
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
