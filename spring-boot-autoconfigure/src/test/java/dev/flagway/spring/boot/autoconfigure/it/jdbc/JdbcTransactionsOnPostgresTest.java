package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.boot.autoconfigure.it.OnDatabase;
import dev.flagway.testing.TestDatabase;

@OnDatabase(TestDatabase.POSTGRES)
class JdbcTransactionsOnPostgresTest extends JdbcTransactionsTest {
}
