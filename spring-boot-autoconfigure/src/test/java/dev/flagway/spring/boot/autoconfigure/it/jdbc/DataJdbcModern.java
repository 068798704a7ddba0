package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.TransactionIds;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The new column with Spring Data JDBC. */
@Component
@Modern
class DataJdbcModern implements DataJdbcUsers, StrictDataJdbcUsers {
    private final ModernUserRows rows;
    private final TransactionIds transactionIds;

    DataJdbcModern(ModernUserRows rows, TransactionIds transactionIds) {
        this.rows = rows;
        this.transactionIds = transactionIds;
    }

    @Override
    public String email(long id) {
        return rows.findById(id).orElseThrow().emailNormalized();
    }

    @Override
    public void updateEmail(long id, String email) {
        rows.save(new ModernUserRow(id, email.trim().toLowerCase(Locale.ROOT)));
        transactionIds.note();
    }
}
