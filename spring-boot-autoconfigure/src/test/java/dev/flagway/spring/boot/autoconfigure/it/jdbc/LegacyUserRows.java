package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import org.springframework.data.repository.CrudRepository;

interface LegacyUserRows extends CrudRepository<LegacyUserRow, Long> {
}
