package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.FlagwayRepository;
import dev.flagway.spring.boot.autoconfigure.it.UserEmails;

@FlagwayRepository(migration = "users-email")
public interface JdbcClientUsers extends UserEmails {
}
