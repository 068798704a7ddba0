package dev.flagway.spring.boot.autoconfigure.it;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Application code that calls a routed repository inside its own {@code @Transactional} work. */
@Service
public class Caller {
    private final JdbcTemplate jdbc;
    private final TransactionIds transactionIds;
    private final String auditTable;

    public Caller(JdbcTemplate jdbc, TransactionIds transactionIds, TestTables tables) {
        this.jdbc = jdbc;
        this.transactionIds = transactionIds;
        this.auditTable = tables.audit();
    }

    /** Records an audit row, then changes the address: one unit of work. */
    @Transactional
    public void auditAndUpdate(UserEmails users, long id, String email) {
        jdbc.update("insert into " + auditTable + " (user_id, note) values (?, ?)", id, "email changed");
        transactionIds.note();
        users.updateEmail(id, email);
    }

    /** Changes the address, then fails: the caller's transaction rolls back. */
    @Transactional
    public void updateAndFail(UserEmails users, long id, String email) {
        users.updateEmail(id, email);
        throw new IllegalStateException("the caller fails after the write");
    }
}
