package dev.flagway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class FallbackJournalTest {
    private final DataSource db = TestDatabase.H2.dataSource();

    @Test
    void fallbacksAreCountedBeforeAndAfterTheFlushAndSharedThroughTheTable() {
        Instant start = Instant.now().minus(Duration.ofMinutes(1));
        try (FallbackJournal journal = start()) {
            for (int i = 0; i < 3; i++) {
                journal.onFallback("users-email");
            }
            journal.onFallback("orders-total");
            assertThat(journal.fallbacksSince("users-email", start)).isEqualTo(3);

            journal.flush();
            journal.onFallback("users-email");

            assertThat(journal.fallbacksSince("users-email", start)).isEqualTo(4);
            assertThat(journal.fallbacksSince("orders-total", start)).isEqualTo(1);
            assertThat(journal.fallbacksSince("users-email", Instant.now().plus(Duration.ofMinutes(2)))).isEqualTo(1);
        }
        try (FallbackJournal other = start()) {
            assertThat(other.fallbacksSince("users-email", start)).isEqualTo(4);
            assertThat(other.fallbacksSince("never", start)).isZero();
        }
    }

    @Test
    void closingFlushesAndAFlushAddsToTheSameMinute() {
        Instant start = Instant.now().minus(Duration.ofMinutes(1));
        try (FallbackJournal journal = start()) {
            journal.onFallback("users-email");
            journal.flush();
            journal.onFallback("users-email");
        }
        try (FallbackJournal other = start()) {
            assertThat(other.fallbacksSince("users-email", start)).isEqualTo(2);
        }
    }

    @Test
    void anInvalidMigrationIdIsRefused() {
        try (FallbackJournal journal = start()) {
            assertThatThrownBy(() -> journal.onFallback("Users Email"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("migration id 'Users Email'");
        }
    }

    private FallbackJournal start() {
        return FallbackJournal.start(db, FallbackJournal.DEFAULT_TABLE, Duration.ofMinutes(10), Clock.systemUTC());
    }
}
