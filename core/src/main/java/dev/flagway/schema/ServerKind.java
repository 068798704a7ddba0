package dev.flagway.schema;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jooq.SQLDialect;

/**
 * The database server whose behaviour the linter judges a schema change by: the same statement can
 * be online on one server and lock a table on another.
 */
public enum ServerKind {
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgres", SQLDialect.POSTGRES),
    /** MySQL 8.0 (8.0.12 or later, InnoDB). */
    MYSQL("mysql", SQLDialect.MYSQL),
    /** MariaDB 10.6 or later (InnoDB). */
    MARIADB("mariadb", SQLDialect.MARIADB),
    /**
     * Any other database (H2, for instance): only the rules that hold everywhere, judged
     * conservatively (e.g. every default that is not a literal counts as volatile).
     */
    OTHER("other", SQLDialect.DEFAULT);

    private final String cliName;
    private final SQLDialect parserDialect;

    ServerKind(String cliName, SQLDialect parserDialect) {
        this.cliName = cliName;
        this.parserDialect = parserDialect;
    }

    /** The server kind of a jOOQ dialect: its family decides; unknown families are {@link #OTHER}. */
    public static ServerKind of(SQLDialect dialect) {
        if (dialect == null) {
            throw new IllegalArgumentException("dialect must not be null");
        }
        switch (dialect.family()) {
            case POSTGRES:
                return POSTGRESQL;
            case MYSQL:
                return MYSQL;
            case MARIADB:
                return MARIADB;
            default:
                return OTHER;
        }
    }

    /**
     * The server kind named on a command line: {@code postgres} (or {@code postgresql}),
     * {@code mysql} or {@code mariadb}, in any case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static ServerKind parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("postgresql")) {
            return POSTGRESQL;
        }
        return Arrays.stream(values()).filter(s -> s != OTHER && s.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown server '" + name + "': use one of "
                        + Arrays.stream(values()).filter(s -> s != OTHER).map(s -> s.cliName)
                                .collect(Collectors.joining(", "))));
    }

    /** The name {@link #parse} accepts for this kind, e.g. {@code postgres}. */
    public String cliName() {
        return cliName;
    }

    /** Whether this is MySQL or MariaDB, whose online DDL decides locking. */
    boolean isMySqlFamily() {
        return this == MYSQL || this == MARIADB;
    }

    SQLDialect parserDialect() {
        return parserDialect;
    }
}
