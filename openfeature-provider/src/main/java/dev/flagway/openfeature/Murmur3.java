package dev.flagway.openfeature;

/**
 * MurmurHash3 x86_32 (Austin Appleby's reference {@code MurmurHash3_x86_32}) with seed 0, over raw
 * bytes, little-endian blocks. The two-array form hashes the concatenation of both arrays without
 * building it, so the provider can keep the flag key's bytes and encode only the targeting key.
 */
final class Murmur3 {
    private static final byte[] EMPTY = new byte[0];
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {
    }

    /** The hash of {@code data} with seed 0, as a signed int (use {@code & 0xFFFFFFFFL} for the unsigned value). */
    static int hash32(byte[] data) {
        return hash32(data, EMPTY);
    }

    /** The hash, seed 0, of the bytes of {@code first} followed by the bytes of {@code second}. */
    static int hash32(byte[] first, byte[] second) {
        final int firstLength = first.length;
        final int length = firstLength + second.length;
        int h1 = 0;
        final int blockEnd = length & ~3;
        int i = 0;
        if (blockEnd <= firstLength) {
            // Fast path: every full block lies in the first array.
            for (; i < blockEnd; i += 4) {
                h1 = mixBlock(h1, (first[i] & 0xff) | (first[i + 1] & 0xff) << 8
                        | (first[i + 2] & 0xff) << 16 | (first[i + 3] & 0xff) << 24);
            }
        } else {
            for (; i < blockEnd; i += 4) {
                h1 = mixBlock(h1, (at(first, second, i) & 0xff) | (at(first, second, i + 1) & 0xff) << 8
                        | (at(first, second, i + 2) & 0xff) << 16 | (at(first, second, i + 3) & 0xff) << 24);
            }
        }
        int k1 = 0;
        switch (length & 3) {
            case 3:
                k1 ^= (at(first, second, blockEnd + 2) & 0xff) << 16;
                // fall through
            case 2:
                k1 ^= (at(first, second, blockEnd + 1) & 0xff) << 8;
                // fall through
            case 1:
                k1 ^= at(first, second, blockEnd) & 0xff;
                k1 *= C1;
                k1 = Integer.rotateLeft(k1, 15);
                k1 *= C2;
                h1 ^= k1;
                break;
            default:
                break;
        }
        h1 ^= length;
        return fmix(h1);
    }

    private static byte at(byte[] first, byte[] second, int index) {
        return index < first.length ? first[index] : second[index - first.length];
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
