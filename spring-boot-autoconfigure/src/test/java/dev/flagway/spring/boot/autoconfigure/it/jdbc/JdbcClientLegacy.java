package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.Legacy;
import dev.flagway.spring.boot.autoconfigure.it.TransactionIds;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The legacy column with {@code JdbcClient}. */
@Repository
@Legacy
class JdbcClientLegacy implements JdbcClientUsers, StrictJdbcClientUsers {
    private final JdbcClient jdbc;
    private final TransactionIds transactionIds;

    JdbcClientLegacy(JdbcClient jdbc, TransactionIds transactionIds) {
        this.jdbc = jdbc;
        this.transactionIds = transactionIds;
    }

    @Override
    public String email(long id) {
        String email = jdbc.sql("select email from sb_jdbc_users where id = ?").param(id).query(String.class).single();
        return email.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public void updateEmail(long id, String email) {
        jdbc.sql("update sb_jdbc_users set email = ? where id = ?").param(email).param(id).update();
        transactionIds.note();
    }
}
