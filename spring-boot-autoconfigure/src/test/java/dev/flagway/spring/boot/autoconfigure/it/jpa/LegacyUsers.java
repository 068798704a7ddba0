package dev.flagway.spring.boot.autoconfigure.it.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

public interface LegacyUsers extends JpaRepository<LegacyUser, Long> {
}
