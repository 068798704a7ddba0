package dev.flagway.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class StatementTargetTest {

    @Test
    void altersAndIndexesNameTheirTable() {
        StatementTarget t = StatementTarget.of("-- add it\nALTER TABLE IF EXISTS ONLY app.\"Users\" ADD COLUMN x int;")
                .orElseThrow();
        assertThat(t.table()).isEqualTo(DSL.name("app", "Users"));
        assertThat(t.concurrently()).isFalse();

        StatementTarget index = StatementTarget.of("CREATE UNIQUE INDEX i ON users USING btree (email)").orElseThrow();
        assertThat(index.table()).isEqualTo(DSL.name("users"));
        assertThat(index.concurrently()).isFalse();
        assertThat(StatementTarget.of("create index concurrently if not exists i on `users` (email)").orElseThrow())
                .isEqualTo(new StatementTarget(DSL.name("users"), true));
    }

    @Test
    void otherStatementsHaveNoTarget() {
        assertThat(StatementTarget.of("update users set email = lower(email)")).isEmpty();
        assertThat(StatementTarget.of("/* c */ insert into users values (1)")).isEmpty();
        assertThat(StatementTarget.of("create table t (id int)")).isEmpty();
    }
}
