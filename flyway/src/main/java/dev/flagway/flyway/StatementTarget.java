package dev.flagway.flyway;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Name;
import org.jooq.impl.DSL;

/**
 * The table a plain SQL migration's DDL statement locks, read from the statement's head:
 * {@code ALTER TABLE t ...} and {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] ... ON t}. Any other
 * statement has no target, and runs under the lock timeout alone.
 *
 * @param table the table, its parts unquoted as written
 * @param concurrently whether it is {@code CREATE INDEX CONCURRENTLY}, which leaves an invalid index
 *        behind when it times out, so it is not run again as it is
 */
record StatementTarget(Name table, boolean concurrently) {
    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`|[\\p{L}_][\\p{L}\\p{N}_$]*)";
    private static final String QUALIFIED = "(" + NAME + "(?:\\s*\\.\\s*" + NAME + ")?)";
    private static final Pattern ALTER = Pattern.compile(
            "ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?" + QUALIFIED,
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern INDEX = Pattern.compile(
            "CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:" + NAME
                    + "\\s+)?(?:USING\\s+\\w+\\s+)?ON\\s+(?:ONLY\\s+)?" + QUALIFIED,
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern PART = Pattern.compile(NAME);

    /** The target of {@code sql}, if it is one of the statements this knows. */
    static Optional<StatementTarget> of(String sql) {
        String s = withoutLeadingComments(sql);
        Matcher alter = ALTER.matcher(s);
        if (alter.lookingAt()) {
            return Optional.of(new StatementTarget(name(alter.group(1)), false));
        }
        Matcher index = INDEX.matcher(s);
        if (index.lookingAt()) {
            return Optional.of(new StatementTarget(name(index.group(2)), index.group(1) != null));
        }
        return Optional.empty();
    }

    private static Name name(String qualified) {
        List<String> parts = new ArrayList<>();
        Matcher m = PART.matcher(qualified);
        while (m.find()) {
            String p = m.group();
            if (p.startsWith("\"")) {
                parts.add(p.substring(1, p.length() - 1).replace("\"\"", "\""));
            } else if (p.startsWith("`")) {
                parts.add(p.substring(1, p.length() - 1).replace("``", "`"));
            } else {
                parts.add(p);
            }
        }
        return DSL.name(parts.toArray(String[]::new));
    }

    private static String withoutLeadingComments(String sql) {
        String s = sql.strip();
        while (true) {
            if (s.startsWith("--")) {
                int end = s.indexOf('\n');
                s = end < 0 ? "" : s.substring(end + 1).strip();
            } else if (s.startsWith("/*")) {
                int end = s.indexOf("*/");
                s = end < 0 ? "" : s.substring(end + 2).strip();
            } else {
                return s;
            }
        }
    }
}
