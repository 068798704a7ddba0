package dev.flagway.config;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the known property key an unknown one was probably meant to be: the nearest by Levenshtein
 * distance over the full key, offered only when it is close. "Close" is judged on the part after the
 * dotted prefix both keys share, so that a long common prefix such as
 * {@code flagway.migrations.users-email.} does not make unrelated names look alike: the distance
 * may be at most a third of that part's length (the longer of the two), and at least 2.
 */
final class KeySuggester {
    private KeySuggester() {
    }

    /** The nearest candidate when it is close enough; ties go to the earlier candidate. */
    static Optional<String> nearest(String unknown, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(unknown, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= allowedDistance(unknown, best) ? Optional.of(best) : Optional.empty();
    }

    /** The Levenshtein distance: single-character insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static int allowedDistance(String a, String b) {
        int shared = sharedDottedPrefix(a, b);
        int differing = Math.max(a.length(), b.length()) - shared;
        return Math.max(2, differing / 3);
    }

    /** Length of the longest common prefix that ends with a '.'. */
    private static int sharedDottedPrefix(String a, String b) {
        int shared = 0;
        for (int i = 0; i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i); i++) {
            if (a.charAt(i) == '.') {
                shared = i + 1;
            }
        }
        return shared;
    }
}
