package dev.flagway.spring.boot.autoconfigure.it.jpa;

import dev.flagway.spring.Modern;
import dev.flagway.spring.boot.autoconfigure.it.TransactionIds;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The new column with Spring Data JPA. */
@Component
@Modern
class JpaModern implements JpaUsers, StrictJpaUsers {
    private final ModernUsers users;
    private final TransactionIds transactionIds;

    JpaModern(ModernUsers users, TransactionIds transactionIds) {
        this.users = users;
        this.transactionIds = transactionIds;
    }

    @Override
    public String email(long id) {
        return users.findById(id).orElseThrow().getEmailNormalized();
    }

    @Override
    public void updateEmail(long id, String email) {
        users.findById(id).orElseThrow().setEmailNormalized(email.trim().toLowerCase(Locale.ROOT));
        transactionIds.note();
    }
}
