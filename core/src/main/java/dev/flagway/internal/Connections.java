package dev.flagway.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/** Runs short jOOQ work on a connection of its own, for Flagway's small bookkeeping tables. */
public final class Connections {
    private Connections() {
    }

    /**
     * Opens a connection, runs {@code work} on a context of the connection's dialect, and closes it.
     *
     * @param what what is being accessed, for the error message, e.g. {@code fallback table flagway_fallbacks}
     * @throws IllegalStateException when no connection can be opened
     */
    public static <T> T withDsl(DataSource dataSource, String what, Function<DSLContext, T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(ServerDialect.using(c, ServerDialect.of(c)));
        } catch (SQLException e) {
            throw new IllegalStateException(what + " is not reachable: " + e.getMessage(), e);
        }
    }

}
