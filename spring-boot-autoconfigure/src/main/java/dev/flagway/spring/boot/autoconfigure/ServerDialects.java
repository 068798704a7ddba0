package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.H2Dialect;
import dev.flagway.spring.FlagwayStartupException;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/**
 * The Flagway dialect of the application's database server, found from its product name: PostgreSQL,
 * MySQL and MariaDB through their dialect modules (both come with the starter), H2 from core.
 */
final class ServerDialects {
    private static final String POSTGRES = "dev.flagway.postgres.PostgresDialect";
    private static final String MYSQL = "dev.flagway.mysql.MySqlDialect";

    private ServerDialects() {
    }

    /**
     * The dialect for {@code dataSource}'s server.
     *
     * @throws FlagwayStartupException when the server cannot be reached, Flagway has no dialect for it, or
     *     its dialect module is missing from the class path
     */
    static Dialect of(DataSource dataSource) {
        // the dialect classes are resolved only where they are constructed, after require() found them
        String product;
        try (Connection c = dataSource.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new FlagwayStartupException("Flagway cannot read which database server the application uses: "
                    + e.getMessage() + ".", "Check that the application's DataSource is reachable.", e);
        }
        ClassLoader loader = ServerDialects.class.getClassLoader();
        return switch (product) {
            case "PostgreSQL" -> {
                require(POSTGRES, "flagway-jdbc-postgres", product, loader);
                yield new PostgresDialect();
            }
            case "MySQL", "MariaDB" -> {
                require(MYSQL, "flagway-jdbc-mysql", product, loader);
                yield MySqlDialect.detect(dataSource);
            }
            case "H2" -> new H2Dialect();
            default -> throw new FlagwayStartupException("Flagway has no dialect for the database server '" + product
                    + "'.", "Use PostgreSQL, MySQL 8, MariaDB or H2, or define a dev.flagway.dialect.Dialect bean.", null);
        };
    }

    private static void require(String dialectClass, String module, String product, ClassLoader loader) {
        if (!ClassUtils.isPresent(dialectClass, loader)) {
            throw new FlagwayStartupException("Flagway's dialect for " + product + " is not on the class path.",
                    "Add the dependency dev.flagway:" + module + " (flagway-spring-boot-starter brings it).", null);
        }
    }
}
