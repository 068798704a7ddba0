package dev.flagway.spring.boot.autoconfigure.it.jpa;

import dev.flagway.spring.boot.autoconfigure.it.TestTables;
import dev.flagway.spring.boot.autoconfigure.it.TransactionTestConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.jdbc.JdbcRepositoriesAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** A Spring Data JPA application: Hibernate, and Boot's {@code JpaTransactionManager}. */
@SpringBootApplication(exclude = JdbcRepositoriesAutoConfiguration.class)
@Import(TransactionTestConfiguration.class)
public class JpaTestApplication {
    /** The tables of this application. */
    static final TestTables TABLES = new TestTables("sb_jpa_users", "sb_jpa_audit");

    @Bean
    TestTables tables() {
        return TABLES;
    }
}
