package dev.flagway.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/** The connection losses every dialect recognises, wherever drivers, jOOQ and pools put them. */
class ConnectionFailuresTest {
    private final Dialect dialect = new H2Dialect();

    @Test
    void lostConnectionsAreFoundUnderTheWrappersDriversPoolsAndJooqPutAroundThem() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", null, 0, new int[0]);
        batch.initCause(new SQLNonTransientConnectionException("(conn=1271) Socket error", "08000"));
        SQLException chained = new SQLException("batch failed");
        chained.setNextException(new SQLException("An I/O error occurred while sending to the backend", "08006"));

        assertThat(lost(new DataAccessException("SQL [update users ...]", batch))).as("MariaDB's batch").isTrue();
        assertThat(lost(chained)).as("a chained next exception").isTrue();
        assertThat(lost(new DataAccessException("x", new SQLException("Connection is closed", "08003"))))
                .as("a connection the pool evicted").isTrue();
        assertThat(lost(new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request"
                + " timed out after 30000ms"))).as("a pool that found no live connection").isTrue();
        assertThat(lost(new UncheckedIOException(new IOException("read failed", new SocketException("Connection reset")))))
                .as("a reset socket").isTrue();
        assertThat(lost(new SQLException("I/O error", null, new EOFException()))).as("end of stream").isTrue();
    }

    @Test
    void otherErrorsAreNotConnectionLosses() {
        SQLException cyclic = new SQLException("deadlock", "40P01");
        cyclic.setNextException(cyclic);

        assertThat(lost(new DataAccessException("x", new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(lost(new SQLException("canceling statement due to statement timeout", "57014"))).isFalse();
        assertThat(lost(new SQLException("lock timeout", "55P03"))).isFalse();
        assertThat(lost(cyclic)).as("a cycle of chained exceptions ends").isFalse();
        assertThat(lost(new IllegalStateException("not a database error"))).isFalse();
    }

    private boolean lost(Throwable error) {
        return ConnectionFailures.isLost(error, dialect);
    }
}
