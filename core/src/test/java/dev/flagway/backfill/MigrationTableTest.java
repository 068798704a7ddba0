package dev.flagway.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.Migration;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class MigrationTableTest {
    private final DataSource db = TestDatabase.H2.dataSource();
    private final MigrationTable table = new MigrationTable(Migration.builder("codes")
            .table("codes").keyColumn("code").legacyColumn("label").newColumn("label_normalized")
            .transform(v -> v).build());

    MigrationTableTest() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table \"codes\" (\"code\" varchar(10) primary key, \"label\" varchar(20),"
                    + " \"label_normalized\" varchar(20))");
            // text keys in key order: a, b, d, g, k (sparse, so counting keys is not subtracting them)
            s.execute("insert into \"codes\" (\"code\") values ('k'), ('a'), ('g'), ('b'), ('d')");
        }
    }

    @Test
    void aFullSpanEndsAtTheLimitthKeyInKeyOrder() throws SQLException {
        try (Connection c = db.getConnection()) {
            assertThat(table.nextSpan(dsl(c), null, 3)).contains(new MigrationTable.Span("d", 3));
            assertThat(table.nextSpan(dsl(c), "a", 1)).contains(new MigrationTable.Span("b", 1));
        }
    }

    @Test
    void theLastSpanHoldsExactlyTheKeysThatAreLeft() throws SQLException {
        try (Connection c = db.getConnection()) {
            assertThat(table.nextSpan(dsl(c), "b", 10)).contains(new MigrationTable.Span("k", 3));
            assertThat(table.nextSpan(dsl(c), "d", 2)).contains(new MigrationTable.Span("k", 2));
        }
    }

    @Test
    void noSpanIsLeftAfterTheLastKey() throws SQLException {
        try (Connection c = db.getConnection()) {
            assertThat(table.nextSpan(dsl(c), "k", 10)).isEmpty();
        }
    }

    private static DSLContext dsl(Connection c) {
        return DSL.using(c, SQLDialect.H2);
    }
}
