package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.TransactionIds;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The new column with {@code JdbcClient}. */
@Repository
@Modern
class JdbcClientModern implements JdbcClientUsers, StrictJdbcClientUsers {
    private final JdbcClient jdbc;
    private final TransactionIds transactionIds;

    JdbcClientModern(JdbcClient jdbc, TransactionIds transactionIds) {
        this.jdbc = jdbc;
        this.transactionIds = transactionIds;
    }

    @Override
    public String email(long id) {
        return jdbc.sql("select email_normalized from sb_jdbc_users where id = ?").param(id).query(String.class).single();
    }

    @Override
    public void updateEmail(long id, String email) {
        jdbc.sql("update sb_jdbc_users set email_normalized = ? where id = ?")
                .param(email.trim().toLowerCase(Locale.ROOT)).param(id).update();
        transactionIds.note();
    }
}
