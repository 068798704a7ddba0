package dev.flagway.spring.boot.autoconfigure.it.jpa;

import dev.flagway.spring.Legacy;
import dev.flagway.spring.boot.autoconfigure.it.TransactionIds;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The legacy column with Spring Data JPA: the entity is changed, Hibernate writes it when flushed. */
@Component
@Legacy
class JpaLegacy implements JpaUsers, StrictJpaUsers {
    private final LegacyUsers users;
    private final TransactionIds transactionIds;

    JpaLegacy(LegacyUsers users, TransactionIds transactionIds) {
        this.users = users;
        this.transactionIds = transactionIds;
    }

    @Override
    public String email(long id) {
        return users.findById(id).orElseThrow().getEmail().trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public void updateEmail(long id, String email) {
        users.findById(id).orElseThrow().setEmail(email);
        transactionIds.note();
    }
}
