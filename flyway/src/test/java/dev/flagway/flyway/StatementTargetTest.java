package dev.flagway.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class StatementTargetTest {

    @Test
    void altersTakeAccessExclusiveFirstExceptConstraintValidationAndForeignKeys() {
        StatementTarget t = StatementTarget.of("-- add it\nALTER TABLE IF EXISTS ONLY app.\"Users\" ADD COLUMN x int;")
                .orElseThrow();
        assertThat(t.table()).isEqualTo(DSL.name("app", "Users"));
        assertThat(t.written()).isEqualTo("app.\"Users\"");
        assertThat(t.postgresLockMode()).contains("ACCESS EXCLUSIVE");

        assertThat(StatementTarget.of("alter table users validate constraint c").orElseThrow().postgresLockMode())
                .isEmpty();
        assertThat(StatementTarget.of("alter table users add constraint f foreign key (a) references t (id)")
                .orElseThrow().postgresLockMode()).isEmpty();
    }

    @Test
    void indexesTakeShareUnlessConcurrentAndOtherStatementsHaveNoTarget() {
        StatementTarget plain = StatementTarget.of("CREATE UNIQUE INDEX i ON users USING btree (email)").orElseThrow();
        assertThat(plain.table()).isEqualTo(DSL.name("users"));
        assertThat(plain.postgresLockMode()).contains("SHARE");
        assertThat(StatementTarget.of("create index concurrently if not exists i on `users` (email)").orElseThrow())
                .satisfies(c -> {
                    assertThat(c.table()).isEqualTo(DSL.name("users"));
                    assertThat(c.postgresLockMode()).isEmpty();
                });
        assertThat(StatementTarget.of("update users set email = lower(email)")).isEqualTo(Optional.empty());
        assertThat(StatementTarget.of("/* c */ insert into users values (1)")).isEmpty();
    }
}
