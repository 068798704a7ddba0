package dev.flagway.examples.boot;

import dev.flagway.spring.Legacy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The code the application had: {@code email} holds the address as typed, normalized on every read. */
@Repository
@Legacy
public class LegacyUserRepository implements UserRepository {
    private final JdbcClient jdbc;

    LegacyUserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String email(long id) {
        return jdbc.sql("select email from users where id = ?").param(id).query(String.class).optional()
                .map(Emails::normalize).orElse(null);
    }

    @Override
    public void updateEmail(long id, String email) {
        jdbc.sql("update users set email = ? where id = ?").param(email).param(id).update();
    }
}
