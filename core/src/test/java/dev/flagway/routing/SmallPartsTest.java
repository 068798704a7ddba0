package dev.flagway.routing;

import dev.flagway.internal.RateLimitedLogger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.TargetingContext;
import dev.flagway.internal.Durations;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class SmallPartsTest {

    @Test
    void rateLimitedLoggerWritesOncePerIntervalAndCountsTheSuppressed() {
        List<String> lines = new ArrayList<>();
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, a) -> {
                    if (m.getName().equals("warn")) {
                        lines.add(String.valueOf(a[0]) + " " + java.util.Arrays.deepToString((Object[]) a[1]));
                    }
                    return null;
                });
        AtomicLong clock = new AtomicLong();
        RateLimitedLogger log = new RateLimitedLogger(logger, 1_000, clock::get);

        for (int i = 0; i < 100; i++) {
            log.warn("problem {}", i);
        }
        clock.addAndGet(1_000);
        log.warn("problem {}", "again");

        assertThat(lines).containsExactly("problem {} [0]", "problem {} ({} similar suppressed) [again, 99]");
    }

    @Test
    void targetingScopesNestAndRestore() {
        try (TargetingContext.Scope outer = TargetingContext.open("a")) {
            try (TargetingContext.Scope inner = TargetingContext.open("b")) {
                assertThat(TargetingContext.current()).isEqualTo("b");
            }
            assertThat(TargetingContext.current()).isEqualTo("a");
        }
        assertThat(TargetingContext.current()).isNull();
        assertThatThrownBy(() -> TargetingContext.open(" ")).hasMessage("targeting key must not be null or blank");
    }

    @Test
    void durationsParseThePropertyFormsAndPrintTheShortest() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse(" 2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThatThrownBy(() -> Durations.parse("2 fortnights")).hasMessage("not a duration");
    }
}
