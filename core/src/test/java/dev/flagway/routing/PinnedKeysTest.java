package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PinnedKeysTest {
    private final PinnedKeys pins = new PinnedKeys("users-email");

    @Test
    void nothingIsPinnedUntilAKeyIs() {
        assertThat(pins.pinned("1")).isFalse();
        assertThat(pins.pinned(null)).isFalse();
        assertThat(pins.size()).isZero();
    }

    @Test
    void aKeyPinnedHereStaysUntilAReReadThatStartedAfterItNoLongerFindsIt() {
        long before = System.nanoTime();
        pins.pin("7");

        pins.refreshed(before, List.of("8"));
        assertThat(pins.pinned("7")).as("the re-read may have missed the write's commit").isTrue();
        assertThat(pins.pinned("8")).isTrue();
        assertThat(pins.pinned(null)).isFalse();

        pins.refreshed(System.nanoTime(), List.of("8"));
        assertThat(pins.pinned("7")).as("repaired since").isFalse();
        assertThat(pins.size()).isEqualTo(1);

        pins.refreshed(System.nanoTime(), List.of());
        assertThat(pins.pinned("8")).isFalse();
    }

    @Test
    void moreKeysThanTheCapPinEveryKeyUntilTheyAreFewerAgain() {
        List<String> many = IntStream.rangeClosed(1, PinnedKeys.MAX_KEYS + 1).mapToObj(String::valueOf).toList();

        pins.refreshed(System.nanoTime(), many);
        assertThat(pins.pinned("not-among-them")).isTrue();
        assertThat(pins.pinned(null)).isTrue();
        assertThat(pins.size()).isEqualTo(PinnedKeys.MAX_KEYS + 1);

        pins.refreshed(System.nanoTime(), List.of("3"));
        assertThat(pins.pinned("not-among-them")).isFalse();
        assertThat(pins.pinned("3")).isTrue();
    }
}
