package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A user as the new code maps it with Spring Data JDBC: the {@code email_normalized} column only. */
@Table("sb_jdbc_users")
record ModernUserRow(@Id Long id, String emailNormalized) {
}
