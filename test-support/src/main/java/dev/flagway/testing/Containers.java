package dev.flagway.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Testcontainers fallback, used only when the configured server is down and Docker answers. */
final class Containers {
    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);

    private Containers() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Docker is not available: {}", e.toString());
            return false;
        }
    }

    @SuppressWarnings("resource") // lives for the JVM; Testcontainers' reaper removes it
    static TestDatabase.Endpoint postgres() {
        PostgreSQLContainer c = new PostgreSQLContainer("postgres:15-alpine").withDatabaseName(TestDatabase.DEFAULT_DATABASE);
        c.start();
        return TestDatabase.Endpoint.of(c.getJdbcUrl(), c.getUsername(), c.getPassword());
    }

    @SuppressWarnings("resource")
    static TestDatabase.Endpoint mariadb() {
        MariaDBContainer c = new MariaDBContainer("mariadb:10.11").withDatabaseName(TestDatabase.DEFAULT_DATABASE);
        c.start();
        return TestDatabase.Endpoint.of(c.getJdbcUrl(), c.getUsername(), c.getPassword());
    }

    /** MySQL of the embedded server's version, reached through Connector/J. */
    @SuppressWarnings("resource")
    static TestDatabase.Endpoint mysql8() {
        MySQLContainer c = new MySQLContainer("mysql:" + EmbeddedMySql.VERSION).withDatabaseName(TestDatabase.DEFAULT_DATABASE);
        c.start();
        return TestDatabase.Endpoint.of(c.getJdbcUrl(), c.getUsername(), c.getPassword());
    }
}
