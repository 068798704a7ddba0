package dev.flagway.mysql;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.jdbc.RepairLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/** A per-test users table with its own migration id and bookkeeping tables, for the backfill tests. */
final class MySqlUsers {
    final String table = Sql.table("users");
    final String checkpoints = table + "_ckpt";
    final String repairs = table + "_repair";
    final String badRows = table + "_bad";
    final Migration migration = Migration.builder(table.replace('_', '-'))
            .table(table).keyColumn("id").legacyColumn("email").newColumn("email_normalized")
            .transform(e -> e == null ? null : e.toString().trim().toLowerCase(Locale.ROOT))
            .build();

    /**
     * Creates the table with users 1 to {@code rows} (' User<n>@Example.COM', the new column empty)
     * and the repair log; with {@code countWrites}, a trigger counts each row's updates in {@code touches}.
     */
    void create(DataSource ds, int rows, boolean countWrites) throws SQLException {
        List<String> digits = new ArrayList<>();
        String number = "1";
        for (int level = 0, scale = 1; scale < rows; level++, scale *= 10) {
            digits.add(MetadataLockQueueTest.digits("d" + level));
            number += " + d" + level + ".n * " + scale;
        }
        Sql.exec(ds, "CREATE TABLE `" + table + "` (id BIGINT PRIMARY KEY, email VARCHAR(320),"
                        + " email_normalized VARCHAR(320), touches INT NOT NULL DEFAULT 0)",
                "INSERT INTO `" + table + "` (id, email) SELECT n, CONCAT(' User', n, '@Example.COM') FROM (SELECT "
                        + number + " n FROM " + String.join(" CROSS JOIN ", digits) + ") seq WHERE n <= " + rows);
        if (countWrites) {
            Sql.exec(ds, "CREATE TRIGGER `" + table + "_touch` BEFORE UPDATE ON `" + table + "` FOR EACH ROW"
                    + " SET NEW.touches = OLD.touches + 1");
        }
        try (Connection c = ds.getConnection()) {
            RepairLog.named(repairs).createIfMissing(c);
        }
    }

    /** Backfill settings on this test's bookkeeping tables. */
    BackfillSettings.Builder settings() {
        return BackfillSettings.custom().checkpointTable(checkpoints).repairTable(repairs).badRowTable(badRows);
    }

    /** Drops every table the test created. */
    void drop(DataSource ds) throws SQLException {
        Sql.drop(ds, table, checkpoints, repairs, badRows);
    }
}
