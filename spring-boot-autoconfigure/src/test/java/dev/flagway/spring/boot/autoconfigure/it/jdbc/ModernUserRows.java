package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import org.springframework.data.repository.CrudRepository;

interface ModernUserRows extends CrudRepository<ModernUserRow, Long> {
}
