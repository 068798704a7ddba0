package dev.flagway.openfeature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Murmur3Test {

    /** The hash of raw bytes: the prefix alone. */
    private static int hashOfBytes(byte[] bytes) {
        return new Murmur3(bytes).hash("");
    }

    private static int hashOfBytes(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return hashOfBytes(b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void murmurHash3MatchesTheReferenceVectorsForSeedZero() {
        // SMHasher / widely published MurmurHash3_x86_32 vectors, seed 0.
        assertThat(hashOfBytes()).isEqualTo(0);
        assertThat(hashOfBytes(0xff, 0xff, 0xff, 0xff)).isEqualTo(0x76293b50);
        assertThat(hashOfBytes(0x21, 0x43, 0x65, 0x87)).isEqualTo(0xf55b516b);
        assertThat(hashOfBytes(0x21, 0x43, 0x65)).isEqualTo(0x7e4a8634);
        assertThat(hashOfBytes(0x21, 0x43)).isEqualTo(0xa0f7b07a);
        assertThat(hashOfBytes(0x21)).isEqualTo(0x72661cf4);
        assertThat(hashOfBytes(0, 0, 0, 0)).isEqualTo(0x2362f9de);
        assertThat(hashOfBytes(0, 0, 0)).isEqualTo(0x85f0b427);
        assertThat(hashOfBytes(0, 0)).isEqualTo(0x30f4c306);
        assertThat(hashOfBytes(0)).isEqualTo(0x514e28b7);
        assertThat(Murmur3.hash32("")).isEqualTo(0);
        assertThat(Murmur3.hash32("hello")).isEqualTo(0x248bfa47);
        assertThat(Murmur3.hash32("hello, world")).isEqualTo(0x149bbb7f);
        assertThat(Murmur3.hash32("abc")).isEqualTo(0xb3dd93fa);
        assertThat(Murmur3.hash32("test")).isEqualTo(0xba6bd213);
        assertThat(Murmur3.hash32("Hello, world!")).isEqualTo(0xc0363e43);
        assertThat(Murmur3.hash32("The quick brown fox jumps over the lazy dog")).isEqualTo(0x2e4ff723);
        assertThat(Murmur3.hash32("The quick brown fox jumps over the lazy dog.")).isEqualTo(0xd5c48bfc);
    }

    @Test
    void hashesTheUtf8BytesOfTheValue() {
        // Reference vector with multi-byte UTF-8 characters (a UTF-16 hash would differ).
        assertThat(Murmur3.hash32("special characters açb↓c")).isEqualTo(0xbe83b140);
    }

    @Test
    void hashingAPrefixThenTextEqualsHashingTheirConcatenation() {
        String[] prefixes = {"", "a", "ab", "abc", "abcd", "users-email", "flag-ü", "日本"};
        String[] suffixes = {"", "x", "xy", "xyz", "user-42", "Zoë", "🌵 cactus", "0123456789"};
        for (String p : prefixes) {
            for (String s : suffixes) {
                assertThat(new Murmur3(p.getBytes(UTF_8)).hash(s))
                        .as("'%s' + '%s'", p, s)
                        .isEqualTo(Murmur3.hash32(p + s))
                        .isEqualTo(hashOfBytes((p + s).getBytes(UTF_8)));
            }
        }
    }

    @Test
    void textHashesLikeItsUtf8BytesForRandomStringsOfEveryCharacterClass() {
        Random random = new Random(42L);
        for (int i = 0; i < 50_000; i++) {
            String text = RandomText.next(random, 24);
            assertThat(Murmur3.hash32(text)).as("%s", text.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(hashOfBytes(text.getBytes(UTF_8)));
        }
    }

    @Test
    void aPrefixThenTextHashesLikeTheirConcatenatedBytesAtEveryAlignment() {
        Random random = new Random(43L);
        for (int i = 0; i < 50_000; i++) {
            byte[] prefix = new byte[random.nextInt(12)];
            random.nextBytes(prefix);
            String text = RandomText.next(random, 24);
            assertThat(new Murmur3(prefix).hash(text)).as("%s + %s", Arrays.toString(prefix),
                            text.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(hashOfBytes(concat(prefix, text.getBytes(UTF_8))));
        }
    }

    @Test
    void eachEdgeOfTheEncodingHashesLikeJavasUtf8Encoder() {
        String[] edges = {
            "\u007f", "\u0080", "\u07ff", "\u0800", "\ud7ff", "\ue000", "\uffff", // one-, two-, three-byte limits
            "😀", "\ud800\udc00", "\udbff\udfff", // surrogate pairs: U+1F600, U+10000, U+10FFFF
            "\ud800", "\udc00", // an unpaired high, an unpaired low surrogate
            "\ud800x", "x\udc00", "\udc00\ud800", // unpaired next to other characters, a pair in the wrong order
            "\ud800\ud800\udc00", // a high surrogate before a pair: '?' then the pair
            "\ud800\u00e9", "\ud800😀😀", "abcd\ud800", "abc😀", "ab😀cd", // an unpaired or a pair at each alignment
        };
        for (String edge : edges) {
            for (String around : new String[] {"", "a", "ab", "abc"}) {
                String text = around + edge + around;
                assertThat(Murmur3.hash32(text)).as("%s", text.chars().mapToObj(Integer::toHexString).toList())
                        .isEqualTo(hashOfBytes(text.getBytes(UTF_8)));
            }
        }
        // What the edges above pin: Java writes '?' for each malformed surrogate.
        assertThat("\ud800x".getBytes(UTF_8)).containsExactly('?', 'x');
        assertThat("\udc00\ud800".getBytes(UTF_8)).containsExactly('?', '?');
        assertThat("😀".getBytes(UTF_8)).containsExactly(0xf0, 0x9f, 0x98, 0x80);
    }
}
