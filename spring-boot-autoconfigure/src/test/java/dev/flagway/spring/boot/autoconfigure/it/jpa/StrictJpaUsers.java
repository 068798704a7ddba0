package dev.flagway.spring.boot.autoconfigure.it.jpa;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;

@FlagwayRepository(migration = "strict-email")
public interface StrictJpaUsers extends UserEmails {
}
