package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A user as the legacy code maps it with Spring Data JDBC: the {@code email} column only. */
@Table("sb_jdbc_users")
record LegacyUserRow(@Id Long id, String email) {
}
