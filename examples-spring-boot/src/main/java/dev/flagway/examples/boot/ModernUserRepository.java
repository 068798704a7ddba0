package dev.flagway.examples.boot;

import dev.flagway.spring.Modern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The new code: {@code email_normalized} holds the address normalized once, when written. */
@Repository
@Modern
public class ModernUserRepository implements UserRepository {
    private final JdbcClient jdbc;

    ModernUserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String email(long id) {
        return jdbc.sql("select email_normalized from users where id = ?").param(id).query(String.class).optional()
                .orElse(null);
    }

    @Override
    public void updateEmail(long id, String email) {
        jdbc.sql("update users set email_normalized = ? where id = ?").param(Emails.normalize(email)).param(id).update();
    }
}
