package dev.flagway.config;

import java.util.List;

/**
 * Thrown when application properties under {@code flagway.} cannot be bound. It carries every
 * problem found, not only the first, so one start-up attempt shows all of them. Each
 * {@linkplain #problems() problem} names the property key, and for a bad value also the value and
 * what was expected, e.g.
 * <pre>
 * flagway.migrations.users-email.breaker.error-rate-threshold = 'abc': expected a ratio in (0, 1], e.g. 0.01 or 1%
 * </pre>
 * The {@linkplain #getMessage() message} is a heading followed by each problem on its own line.
 * Control characters in keys and values are escaped, so a problem never spans several lines.
 */
public final class FlagwayConfigException extends IllegalArgumentException {
    private final List<String> problems;

    private FlagwayConfigException(List<String> problems) {
        super(message(problems));
        this.problems = problems;
    }

    /** The exception for {@code problems} (at least one), with control characters escaped. */
    static FlagwayConfigException of(List<String> problems) {
        return new FlagwayConfigException(
                problems.stream().map(FlagwayConfigException::escapeControlCharacters).toList());
    }

    /** The problems, one line each, in a stable order: global keys, then each migration, then unknown keys. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        StringBuilder out = new StringBuilder("Invalid Flagway configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (String problem : problems) {
            out.append('\n').append("  ").append(problem);
        }
        return out.toString();
    }

    private static String escapeControlCharacters(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        });
        return out.toString();
    }
}
