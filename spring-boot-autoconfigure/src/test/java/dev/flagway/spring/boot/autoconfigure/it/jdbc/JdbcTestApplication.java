package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.boot.autoconfigure.it.TestTables;
import dev.flagway.spring.boot.autoconfigure.it.TransactionTestConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A JDBC application (no JPA: its transaction manager is Boot's {@code JdbcTransactionManager}) with
 * two persistence styles: {@code JdbcClient} and Spring Data JDBC.
 */
@SpringBootApplication(exclude = {HibernateJpaAutoConfiguration.class, JpaRepositoriesAutoConfiguration.class})
@Import(TransactionTestConfiguration.class)
public class JdbcTestApplication {
    /** The tables of this application. */
    static final TestTables TABLES = new TestTables("sb_jdbc_users", "sb_jdbc_audit");

    @Bean
    TestTables tables() {
        return TABLES;
    }
}
