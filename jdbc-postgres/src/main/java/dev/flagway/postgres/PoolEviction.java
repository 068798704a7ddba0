package dev.flagway.postgres;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Immediate mitigation for stale pooled sessions that hold locks: soft-evicts a HikariCP pool's
 * connections (idle ones close now, busy ones when they are returned), so the application reconnects
 * with fresh sessions. HikariCP is an optional dependency; add it to use this class.
 */
public final class PoolEviction {
    private static final Logger LOG = LoggerFactory.getLogger(PoolEviction.class);

    private PoolEviction() {
    }

    /**
     * Soft-evicts every connection of the HikariCP pool behind {@code dataSource}.
     *
     * @throws IllegalArgumentException when {@code dataSource} is not (and does not wrap) a started HikariCP pool
     */
    public static void softEvict(DataSource dataSource) {
        HikariDataSource hikari;
        try {
            if (!dataSource.isWrapperFor(HikariDataSource.class)) {
                throw new IllegalArgumentException("not a HikariCP pool: " + dataSource.getClass().getName());
            }
            hikari = dataSource.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot unwrap " + dataSource.getClass().getName() + ": " + e.getMessage(), e);
        }
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            throw new IllegalArgumentException("HikariCP pool " + hikari.getPoolName() + " is not started");
        }
        LOG.warn("Soft-evicting the {} connections of pool {} ({} active)", pool.getTotalConnections(),
                hikari.getPoolName(), pool.getActiveConnections());
        pool.softEvictConnections();
    }
}
