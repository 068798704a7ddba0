package dev.flagway.internal;

import java.util.regex.Pattern;

/**
 * Validation of SQL identifiers and migration ids taken from configuration. Names are later quoted
 * with jOOQ's {@code DSL.name}; validating them first means a configured name can never carry SQL.
 */
public final class Identifiers {
    /** The longest identifier PostgreSQL keeps (MySQL allows 64); longer names are refused. */
    public static final int MAX_LENGTH = 63;

    private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern MIGRATION_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final int MAX_ID_LENGTH = 100;

    private Identifiers() {
    }

    /**
     * Checks a plain SQL identifier: a letter or underscore, then letters, digits or underscores, at
     * most {@value #MAX_LENGTH} characters.
     *
     * @param what what the name is, for the message (e.g. {@code "key column"})
     * @return the name unchanged
     * @throws IllegalArgumentException naming the bad value and the rule
     */
    public static String requireSqlName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " '" + abbreviate(name) + "' is " + name.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        if (!SQL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + abbreviate(name)
                    + "' is not a plain SQL identifier: use letters, digits and underscores, starting with a letter or underscore");
        }
        return name;
    }

    /**
     * Checks a table name: a plain identifier, optionally qualified by one schema ({@code schema.table}).
     *
     * @return the parts, schema first when present
     */
    public static String[] requireTableName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException(what + " '" + abbreviate(name)
                    + "' has more than one '.': use table or schema.table");
        }
        for (String part : parts) {
            requireSqlName(what, part);
        }
        return parts;
    }

    /**
     * Checks a migration id: lower-case letters, digits, '.', '_' and '-', starting with a letter or
     * digit, at most 100 characters (it becomes a meter tag and a property key segment).
     */
    public static String requireMigrationId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("migration id must not be empty");
        }
        if (id.length() > MAX_ID_LENGTH || !MIGRATION_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("migration id '" + abbreviate(id)
                    + "' is invalid: use at most " + MAX_ID_LENGTH
                    + " lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    /**
     * Checks that a key kept as text fits its column: a longer one is refused, never truncated (a
     * truncated key could name another row).
     *
     * @return the key unchanged
     */
    public static String requireKeyLength(String what, String key, int maxLength) {
        if (key.length() > maxLength) {
            throw new IllegalArgumentException(what + " is longer than " + maxLength + " characters: " + abbreviate(key));
        }
        return key;
    }

    /** Shortens a value for an error message so that a hostile 10 kB value does not flood the log. */
    public static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
