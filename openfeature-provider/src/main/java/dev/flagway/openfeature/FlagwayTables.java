package dev.flagway.openfeature;

import dev.flagway.internal.Identifiers;
import java.util.Objects;

/**
 * The names of the two tables the provider and {@link FlagAdmin} use: the flags table and its audit
 * log. Names are validated as plain SQL identifiers (optionally {@code schema.table}) and always
 * quoted, so they are case-sensitive on PostgreSQL and H2; lower-case names are the convenient choice.
 *
 * <p>Defaults: {@code flagway_flags} and {@code flagway_flag_audit}.
 */
public final class FlagwayTables {
    /** The default prefix: {@code flagway_}. */
    public static final String DEFAULT_PREFIX = "flagway_";

    private final String flagsTable;
    private final String auditTable;
    private final String[] flagsParts;
    private final String[] auditParts;

    private FlagwayTables(String flagsTable, String auditTable) {
        this.flagsParts = Identifiers.requireTableName("flags table", flagsTable);
        this.auditParts = Identifiers.requireTableName("audit table", auditTable);
        if (flagsTable.equals(auditTable)) {
            throw new IllegalArgumentException("flags table and audit table must differ, but both are '"
                    + flagsTable + "'");
        }
        this.flagsTable = flagsTable;
        this.auditTable = auditTable;
    }

    /** {@code flagway_flags} and {@code flagway_flag_audit} in the connection's default schema. */
    public static FlagwayTables defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /**
     * {@code <prefix>flags} and {@code <prefix>flag_audit}.
     *
     * @param prefix a plain identifier prefix such as {@code app_}; may be empty
     * @throws IllegalArgumentException when the resulting names are not valid identifiers
     */
    public static FlagwayTables withPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("table prefix must not be null (use \"\" for none)");
        }
        if (!prefix.isEmpty()) {
            Identifiers.requireSqlName("table prefix", prefix);
        }
        return new FlagwayTables(prefix + "flags", prefix + "flag_audit");
    }

    /**
     * Explicit names, each {@code table} or {@code schema.table}.
     *
     * @throws IllegalArgumentException when a name is not a valid identifier or both are equal
     */
    public static FlagwayTables of(String flagsTable, String auditTable) {
        return new FlagwayTables(flagsTable, auditTable);
    }

    /** The flags table name as configured, e.g. {@code flagway_flags} or {@code ops.flagway_flags}. */
    public String flagsTable() {
        return flagsTable;
    }

    /** The audit table name as configured. */
    public String auditTable() {
        return auditTable;
    }

    String[] flagsParts() {
        return flagsParts.clone();
    }

    String[] auditParts() {
        return auditParts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlagwayTables && ((FlagwayTables) o).flagsTable.equals(flagsTable)
                && ((FlagwayTables) o).auditTable.equals(auditTable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flagsTable, auditTable);
    }

    @Override
    public String toString() {
        return "FlagwayTables[flags=" + flagsTable + ", audit=" + auditTable + "]";
    }
}
