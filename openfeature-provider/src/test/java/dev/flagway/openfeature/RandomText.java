package dev.flagway.openfeature;

import java.util.Random;

/**
 * Random strings mixing every class of character that UTF-8 encodes differently: ASCII, two- and
 * three-byte characters, surrogate pairs (four bytes) and unpaired high and low surrogates (which
 * Java's encoder writes as {@code ?}).
 */
final class RandomText {
    private RandomText() {
    }

    static String next(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length + 1);
        while (s.length() < length) {
            switch (random.nextInt(7)) {
                case 0, 1 -> s.append((char) random.nextInt(0x80));
                case 2 -> s.append((char) (0x80 + random.nextInt(0x800 - 0x80)));
                case 3 -> s.append(threeByteCharacter(random));
                case 4 -> s.appendCodePoint(0x10000 + random.nextInt(0x110000 - 0x10000));
                case 5 -> s.append((char) (Character.MIN_HIGH_SURROGATE + random.nextInt(0x400)));
                default -> s.append((char) (Character.MIN_LOW_SURROGATE + random.nextInt(0x400)));
            }
        }
        return s.toString();
    }

    private static char threeByteCharacter(Random random) {
        while (true) {
            char c = (char) (0x800 + random.nextInt(0x10000 - 0x800));
            if (!Character.isSurrogate(c)) {
                return c;
            }
        }
    }
}
