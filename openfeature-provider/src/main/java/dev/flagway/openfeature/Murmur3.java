package dev.flagway.openfeature;

/**
 * MurmurHash3 x86_32 (Austin Appleby's reference {@code MurmurHash3_x86_32}) with seed 0, little-endian
 * blocks, over a fixed byte prefix followed by the UTF-8 encoding of a string.
 *
 * <p>An instance holds the hash state after its prefix, so the provider absorbs a flag key once and
 * per evaluation hashes only the targeting key, encoding it to UTF-8 on the fly instead of into an
 * array. The encoding is exactly {@link String#getBytes(java.nio.charset.Charset) getBytes(UTF_8)}'s,
 * including {@code ?} for each unpaired surrogate. A prefix cannot end inside a surrogate pair: a
 * caller whose prefix text ends in a high surrogate must hash the concatenated text instead.
 */
final class Murmur3 {
    /** The plain hash: no prefix. */
    static final Murmur3 NO_PREFIX = new Murmur3(new byte[0]);

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private final int h1;
    /** The prefix's last {@code length % 4} bytes, little-endian: the start of the next block. */
    private final int tail;
    private final int length;

    /** Absorbs {@code prefix}, which is not kept. */
    Murmur3(byte[] prefix) {
        int h = 0;
        int blockEnd = prefix.length & ~3;
        for (int i = 0; i < blockEnd; i += 4) {
            h = mixBlock(h, (prefix[i] & 0xff) | (prefix[i + 1] & 0xff) << 8
                    | (prefix[i + 2] & 0xff) << 16 | (prefix[i + 3] & 0xff) << 24);
        }
        int t = 0;
        for (int i = blockEnd; i < prefix.length; i++) {
            t |= (prefix[i] & 0xff) << ((i - blockEnd) << 3);
        }
        this.h1 = h;
        this.tail = t;
        this.length = prefix.length;
    }

    /** The hash of {@code text} alone, as a signed int (use {@code & 0xFFFFFFFFL} for the unsigned value). */
    static int hash32(String text) {
        return NO_PREFIX.hash(text);
    }

    /** The hash of the prefix followed by the UTF-8 bytes of {@code text}, as a signed int. */
    int hash(String text) {
        int h = h1;
        int bytes = length;
        // Bytes not yet mixed, little-endian, and how many bits of them: always fewer than 32 between steps.
        long pending = tail;
        int bits = (length & 3) << 3;
        final int n = text.length();
        int i = 0;
        while (i < n) {
            if (i + 4 <= n) {
                int c0 = text.charAt(i);
                int c1 = text.charAt(i + 1);
                int c2 = text.charAt(i + 2);
                int c3 = text.charAt(i + 3);
                if ((c0 | c1 | c2 | c3) < 0x80) {
                    // Four ASCII characters are four bytes: one whole block's worth.
                    pending |= ((c0 | c1 << 8 | c2 << 16 | c3 << 24) & 0xFFFFFFFFL) << bits;
                    h = mixBlock(h, (int) pending);
                    pending >>>= 32;
                    bytes += 4;
                    i += 4;
                    continue;
                }
            }
            int c = text.charAt(i++);
            int encoded;
            int count;
            if (c < 0x80) {
                encoded = c;
                count = 1;
            } else if (c < 0x800) {
                encoded = (0xC0 | c >> 6) | (0x80 | c & 0x3F) << 8;
                count = 2;
            } else if (!Character.isSurrogate((char) c)) {
                encoded = (0xE0 | c >> 12) | (0x80 | c >> 6 & 0x3F) << 8 | (0x80 | c & 0x3F) << 16;
                count = 3;
            } else if (Character.isHighSurrogate((char) c) && i < n && Character.isLowSurrogate(text.charAt(i))) {
                int cp = Character.toCodePoint((char) c, text.charAt(i++));
                encoded = (0xF0 | cp >> 18) | (0x80 | cp >> 12 & 0x3F) << 8 | (0x80 | cp >> 6 & 0x3F) << 16
                        | (0x80 | cp & 0x3F) << 24;
                count = 4;
            } else {
                // Java's UTF-8 encoder replaces each malformed surrogate with '?'.
                encoded = '?';
                count = 1;
            }
            pending |= (encoded & 0xFFFFFFFFL) << bits;
            bits += count << 3;
            bytes += count;
            if (bits >= 32) {
                h = mixBlock(h, (int) pending);
                pending >>>= 32;
                bits -= 32;
            }
        }
        if (bits > 0) {
            int k1 = (int) pending;
            k1 *= C1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= C2;
            h ^= k1;
        }
        h ^= bytes;
        return fmix(h);
    }

    private static int mixBlock(int h1, int k1) {
        k1 *= C1;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= C2;
        h1 ^= k1;
        h1 = Integer.rotateLeft(h1, 13);
        return h1 * 5 + 0xe6546b64;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
