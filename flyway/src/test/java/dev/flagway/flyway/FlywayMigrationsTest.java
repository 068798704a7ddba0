package dev.flagway.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.testing.BlockedTableTraffic;
import dev.flagway.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real Flyway (the newest served) with Flagway, against PostgreSQL, MariaDB and MySQL 8. */
class FlywayMigrationsTest {
    /** Short lock attempts so the tests wait seconds, not minutes. */
    static final DdlSettings QUICK = DdlSettings.custom().lockTimeout(Duration.ofMillis(300))
            .onlineLockTimeout(Duration.ofMillis(300)).maxAttempts(100).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(300)).build();
    static final Duration HOLD = Duration.ofSeconds(3);

    /** V2: adds a column through Flagway's executor. */
    public static final class V2__flagway_expand extends FlagwayJavaMigration {
        private final String table;
        private final String column;

        V2__flagway_expand(String table, String column) {
            this.table = table;
            this.column = column;
        }

        @Override
        protected List<SchemaOperation> operations() {
            return List.of(SchemaOperation.addColumn(table, column, SQLDataType.VARCHAR(320)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MYSQL8"})
    void behindALongTransactionFlagwayWaitsInShortAttemptsWhilePlainFlywayStallsTraffic(TestDatabase db)
            throws Exception {
        try (FlywayFixture f = new FlywayFixture(db)) {
            f.flyway().load().migrate(); // the history table and its baseline, so the runs below start quickly
            // plain Flyway: the ALTER queues behind the long transaction, and the traffic queues behind it
            f.sql("V1__plain_add_column.sql", "ALTER TABLE " + f.table + " ADD COLUMN plain_col int;\n");
            Duration plain;
            try (BlockedTableTraffic traffic = new BlockedTableTraffic(f.dataSource, f.table, HOLD)) {
                f.flyway().load().migrate();
                plain = traffic.maxStall();
            }
            assertThat(f.columnExists("plain_col")).isTrue();

            // Flagway's expand: short attempts, the traffic waits at most one lock timeout at a time
            FlagwayCallback flagway = FlagwayCallback.builder().ddlSettings(QUICK).build();
            Duration expand;
            long started = System.nanoTime();
            try (BlockedTableTraffic traffic = new BlockedTableTraffic(f.dataSource, f.table, HOLD)) {
                flagway.configure(f.flyway()).javaMigrations(new V2__flagway_expand(f.table, "flagway_col")).load()
                        .migrate();
                expand = traffic.maxStall();
            }
            Duration expandTook = Duration.ofNanos(System.nanoTime() - started);
            assertThat(f.columnExists("flagway_col")).isTrue();
            assertThat(f.historyOf("2")).containsExactly(true);

            // a plain SQL migration under the Flagway callback: the lock is taken in short attempts first
            f.sql("V3__plain_under_callback.sql", "ALTER TABLE " + f.table + " ADD COLUMN callback_col int;\n");
            Duration callback;
            try (BlockedTableTraffic traffic = new BlockedTableTraffic(f.dataSource, f.table, HOLD)) {
                flagway.configure(f.flyway()).javaMigrations(new V2__flagway_expand(f.table, "flagway_col")).load()
                        .migrate();
                callback = traffic.maxStall();
            }
            assertThat(f.columnExists("callback_col")).isTrue();
            assertThat(f.historyOf("3")).containsExactly(true);

            report(db + ": longest traffic stall behind a " + HOLD.toMillis() + " ms transaction: plain Flyway SQL "
                    + plain.toMillis() + " ms; Flagway expand " + expand.toMillis() + " ms (migration took "
                    + expandTook.toMillis() + " ms, lock timeout " + QUICK.lockTimeout().toMillis()
                    + " ms); plain SQL under FlagwayCallback " + callback.toMillis() + " ms");
            assertThat(plain).isGreaterThan(Duration.ofMillis(1500));
            assertThat(expand).isLessThan(Duration.ofMillis(1500));
            assertThat(callback).isLessThan(Duration.ofMillis(1500));
            assertThat(expandTook).isGreaterThan(Duration.ofMillis(2000)); // it did wait for the transaction
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB", "MYSQL8"})
    void anUnsafeSqlMigrationIsRefusedByTheLintBeforeAnythingRuns(TestDatabase db) {
        try (FlywayFixture f = new FlywayFixture(db)) {
            f.sql("V1__add_col.sql", "ALTER TABLE " + f.table + " ADD COLUMN note varchar(20);\n");
            f.sql("V2__rename.sql", "ALTER TABLE " + f.table + " RENAME COLUMN email TO mail;\n");
            FlagwayCallback flagway = FlagwayCallback.ofDefaults();

            assertThatThrownBy(() -> flagway.configure(f.flyway()).load().migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("Flagway lint refused 1 pending SQL migration (nothing was migrated)")
                    .hasMessageContaining("V2__rename.sql:1: COLUMN_RENAME")
                    .hasMessageContaining("V2__rename.sql: 1 statement, 1 finding, 0 waived");
            assertThat(f.historyOf("1")).isEmpty();
            assertThat(f.columnExists("note")).isFalse();
            assertThat(f.columnExists("email")).isTrue();

            // warn: migrates and logs
            FlagwayCallback warn = FlagwayCallback.builder().lint(LintMode.WARN).build();
            f.sql("V2__rename.sql", "-- flagway:allow COLUMN_RENAME no instance reads the column yet\n"
                    + "ALTER TABLE " + f.table + " RENAME COLUMN email TO mail;\n");
            warn.configure(f.flyway()).load().migrate();
            assertThat(f.historyOf("2")).containsExactly(true);
            assertThat(f.columnExists("mail")).isTrue();
        }
    }

    static void report(String line) throws IOException {
        System.out.println(line);
        Path file = Path.of("target", "flagway-stall-figures.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
