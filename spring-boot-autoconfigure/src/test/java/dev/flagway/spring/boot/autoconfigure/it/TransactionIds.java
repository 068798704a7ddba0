package dev.flagway.spring.boot.autoconfigure.it;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Notes the database's own id of the transaction each piece of work runs in (caller, legacy write,
 * modern write), so a test can tell one transaction from two.
 */
@Component
public class TransactionIds {
    private final JdbcTemplate jdbc;
    private final ThreadLocal<List<String>> noted = new ThreadLocal<>();

    public TransactionIds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Starts noting on this thread. */
    public void start() {
        noted.set(new ArrayList<>());
    }

    /** Stops noting and returns what was noted. */
    public List<String> stop() {
        List<String> ids = noted.get();
        noted.remove();
        return ids;
    }

    /** Notes the current transaction's id, when noting; call it after a write (MariaDB names a transaction once it writes). */
    public void note() {
        List<String> ids = noted.get();
        if (ids != null) {
            ids.add(current());
        }
    }

    private String current() {
        boolean postgres = jdbc.execute((Connection c) -> c.getMetaData().getDatabaseProductName())
                .toLowerCase(Locale.ROOT).contains("postgres");
        return postgres ? jdbc.queryForObject("select pg_current_xact_id()::text", String.class) : innodbTransaction();
    }

    /** InnoDB lists a transaction in innodb_trx from a cache refreshed every 0.1 s: polled until it shows. */
    private String innodbTransaction() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> ids = jdbc.queryForList("select cast(trx_id as char) from information_schema.innodb_trx"
                    + " where trx_mysql_thread_id = connection_id()", String.class);
            if (!ids.isEmpty() || System.nanoTime() > deadline) {
                return ids.isEmpty() ? null : ids.get(0);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
