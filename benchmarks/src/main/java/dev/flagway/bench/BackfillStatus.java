package dev.flagway.bench;

/** Why item 6 (the backfill of 1,000,000 rows) is not measured on a database. */
final class BackfillStatus {
    private BackfillStatus() {
    }

    static String noMySqlDialect() {
        return "the backfill engine needs a `dev.flagway.dialect.Dialect` for MySQL/MariaDB, and main "
                + "has none yet (jdbc-mysql holds only server detection); PostgreSQL's dialect is the only one";
    }
}
