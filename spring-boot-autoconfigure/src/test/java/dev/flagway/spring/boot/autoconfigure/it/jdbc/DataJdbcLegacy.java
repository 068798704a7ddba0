package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.Legacy;
import dev.flagway.spring.boot.autoconfigure.it.TransactionIds;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The legacy column with Spring Data JDBC. */
@Component
@Legacy
class DataJdbcLegacy implements DataJdbcUsers, StrictDataJdbcUsers {
    private final LegacyUserRows rows;
    private final TransactionIds transactionIds;

    DataJdbcLegacy(LegacyUserRows rows, TransactionIds transactionIds) {
        this.rows = rows;
        this.transactionIds = transactionIds;
    }

    @Override
    public String email(long id) {
        return rows.findById(id).orElseThrow().email().trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public void updateEmail(long id, String email) {
        rows.save(new LegacyUserRow(id, email));
        transactionIds.note();
    }
}
