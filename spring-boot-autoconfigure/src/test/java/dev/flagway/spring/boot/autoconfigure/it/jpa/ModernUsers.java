package dev.flagway.spring.boot.autoconfigure.it.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ModernUsers extends JpaRepository<ModernUser, Long> {
}
