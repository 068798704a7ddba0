package dev.flagway.flyway;

import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * Flyway's {@code postgresql.transactional.lock} setting. Since Flyway 9.1.2 Flyway holds its
 * PostgreSQL advisory lock with {@code pg_advisory_xact_lock}, inside a transaction it keeps open on
 * its own connection for the whole migration; {@code CREATE INDEX CONCURRENTLY} waits for every
 * transaction older than itself to end, so it waits for Flyway's, which waits for it: it hangs
 * (flyway/flyway#3508). With the setting off Flyway takes a session-level advisory lock instead.
 * Only touched when the PostgreSQL module of Flyway is on the class path.
 */
final class TransactionalLock {
    static final String PROPERTY = "flyway.postgresql.transactional.lock";
    private static final String EXTENSION = "org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension";

    private TransactionalLock() {
    }

    /** Whether Flyway holds its PostgreSQL lock in a transaction (true, Flyway's default, unless switched off). */
    static boolean isOn(Configuration configuration) {
        if (!available(configuration)) {
            return false;
        }
        PostgreSQLConfigurationExtension extension = configuration.getPluginRegister()
                .getPlugin(PostgreSQLConfigurationExtension.class);
        return extension != null && extension.isTransactionalLock();
    }

    /** Switches the transactional lock off, where Flyway's PostgreSQL module is present. */
    static void switchOff(FluentConfiguration configuration) {
        if (!available(configuration)) {
            return;
        }
        PostgreSQLConfigurationExtension extension = configuration.getPluginRegister()
                .getPlugin(PostgreSQLConfigurationExtension.class);
        if (extension != null) {
            extension.setTransactionalLock(false);
        }
    }

    /** The reason a migration with a concurrent index cannot run, for the fail-fast message. */
    static String trap(String migration) {
        return migration + " builds or drops an index CONCURRENTLY on PostgreSQL, but Flyway holds its lock in a"
                + " transaction (postgresql.transactional.lock=true, Flyway's default since 9.1.2): the concurrent"
                + " index would wait for Flyway's own transaction forever (flyway/flyway#3508). Configure Flyway"
                + " with FlagwayCallback.configure(Flyway.configure()), or set " + PROPERTY + "=false"
                + " (Spring Boot: spring.flyway.postgresql.transactional-lock=false)";
    }

    private static boolean available(Configuration configuration) {
        try {
            Class.forName(EXTENSION, false, TransactionalLock.class.getClassLoader());
            return configuration.getPluginRegister() != null;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
