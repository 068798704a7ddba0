package dev.flagway.spring.boot.autoconfigure.it;

import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The tables of a transaction test: users (the legacy {@code email} column and the new, shorter
 * {@code email_normalized} one, so that a long address fails the modern write in the database itself)
 * and an audit table the caller writes in the same transaction.
 *
 * @param users the users table
 * @param audit the audit table
 */
public record TestTables(String users, String audit) {
    /** Rows {@code 1..ROWS} exist. */
    public static final int ROWS = 200;
    /** Longer than {@code email_normalized} can hold. */
    public static final String TOO_LONG = "a.very.long.address.indeed@example.com";

    /** Creates the tables afresh in {@code database}, and forgets the repairs recorded for the test migrations. */
    public void create(TestDatabase database) throws SQLException {
        DataSource dataSource = database.dataSource();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists " + users);
            s.execute("drop table if exists " + audit);
            s.execute("create table " + users + " (id bigint primary key, email varchar(320), email_normalized varchar(32))");
            s.execute("create table " + audit + " (user_id bigint not null, note varchar(100) not null)");
            StringBuilder insert = new StringBuilder("insert into " + users + " (id, email, email_normalized) values ");
            for (int id = 1; id <= ROWS; id++) {
                insert.append(id == 1 ? "" : ", ").append('(').append(id).append(", ' User").append(id)
                        .append("@Example.COM ', 'user").append(id).append("@example.com')");
            }
            s.execute(insert.toString());
            if (c.getMetaData().getTables(c.getCatalog(), null, "flagway_repair", null).next()) {
                s.execute("delete from flagway_repair where migration_id in ('users-email', 'strict-email')");
            }
        }
    }
}
