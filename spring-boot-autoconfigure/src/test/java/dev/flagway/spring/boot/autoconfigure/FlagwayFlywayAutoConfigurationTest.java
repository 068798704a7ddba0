package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.flyway.FlagwayCallback;
import dev.flagway.flyway.FlagwayJavaMigration;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Boot's own Flyway (the version Boot 3.5 manages, 11.7) with Flagway's callback, a Flagway Java migration bean
 * and a plain SQL migration whose ALTER TABLE the callback runs.
 */
class FlagwayFlywayAutoConfigurationTest {

    /** A concurrent index, as a bean Boot hands to Flyway. */
    static final class V1__boot_email_index extends FlagwayJavaMigration {
        private final String table;

        V1__boot_email_index(String table) {
            this.table = table;
        }

        @Override
        protected List<SchemaOperation> operations() {
            return List.of(SchemaOperation.createIndex(table, table + "_email_idx", "email"));
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                    FlagwayFlywayAutoConfiguration.class));

    @Test
    void bootsFlywayRunsAFlagwayMigrationBeanWithAConcurrentIndexThroughTheCallback() throws IOException {
        TestDatabase.Endpoint pg = TestDatabase.POSTGRES.endpoint();
        DataSource dataSource = TestDatabase.POSTGRES.dataSource();
        String table = TestDatabase.uniqueName("boot_users");
        exec(dataSource, "create table " + table + " (id int primary key, email varchar(200))");
        java.nio.file.Path migrations = Files.createTempDirectory("boot-flyway");
        Files.writeString(migrations.resolve("V2__add_note.sql"), "ALTER TABLE " + table + " ADD COLUMN note varchar(20);\n");
        try {
            runner.withPropertyValues("spring.datasource.url=" + pg.url(), "spring.datasource.username=" + pg.user(),
                            "spring.datasource.password=" + pg.password(), "spring.flyway.table=" + table + "_history",
                            "spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0",
                            "spring.flyway.locations=filesystem:" + migrations)
                    .withBean(V1__boot_email_index.class, () -> new V1__boot_email_index(table))
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(FlagwayCallback.class);
                        Flyway flyway = context.getBean(Flyway.class);
                        assertThat(Arrays.asList(flyway.getConfiguration().getCallbacks()))
                                .contains(context.getBean(FlagwayCallback.class).callback());
                        assertThat(count(dataSource, "select count(*) from pg_index i join pg_class c"
                                + " on c.oid = i.indexrelid where c.relname = '" + table + "_email_idx' and i.indisvalid"))
                                .isEqualTo(1);
                        assertThat(count(dataSource, "select count(*) from " + table + "_history where version in"
                                + " ('1', '2') and success")).isEqualTo(2);
                        assertThat(count(dataSource, "select count(*) from information_schema.columns where table_name = '"
                                + table + "' and column_name = 'note'")).isEqualTo(1); // run by the callback
                    });
        } finally {
            exec(dataSource, "drop table if exists " + table);
            exec(dataSource, "drop table if exists " + table + "_history");
        }
    }

    @Test
    void backsOffWithoutFlagwaysFlywayModuleOrWhenFlywayIsOff() {
        runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:off;DB_CLOSE_DELAY=-1", "spring.flyway.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(FlagwayCallback.class));
        runner.withClassLoader(new FilteredClassLoader(FlagwayCallback.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:nomodule;DB_CLOSE_DELAY=-1")
                .run(context -> assertThat(context).doesNotHaveBean(FlagwayCallback.class));
    }

    private static void exec(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
