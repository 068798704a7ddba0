package dev.flagway.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of everything the command prints: the password given (option, environment or
 * properties file) wherever it appears, a {@code password=} parameter of a JDBC URL, and the
 * {@code user:password@} part of a URL.
 */
final class Redactor {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)((?:password|pwd)\\s*=\\s*)[^&;)\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]+:)[^@/\\s]+@");
    /** Shorter passwords would mask ordinary words; they are still masked inside URLs. */
    private static final int MIN_MASKED_LENGTH = 3;

    private static volatile String secret;

    private Redactor() {
    }

    /** Remembers the password in use, so that any message quoting it is masked. */
    static void secret(String password) {
        secret = password;
    }

    /** {@code text} with every password masked as {@code ****}. */
    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "****");
        s = USER_INFO.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "****@");
        String known = secret;
        if (known != null && known.length() >= MIN_MASKED_LENGTH) {
            s = s.replace(known, "****");
        }
        return s;
    }
}
