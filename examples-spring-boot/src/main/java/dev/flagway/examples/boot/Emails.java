package dev.flagway.examples.boot;

import java.util.Locale;

/** How the application shows an address: trimmed and lower-case. */
public final class Emails {
    private Emails() {
    }

    /** The normalized form of {@code email}, or null. */
    public static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }
}
