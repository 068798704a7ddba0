package dev.flagway.schema;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The catalogue of unsafe schema changes, each with its risk, its safe alternative and the servers
 * it applies to. Both linters judge by it: {@link SchemaLinter} for Flagway's own
 * {@link SchemaOperation}s and {@link SqlLinter} for SQL migration files; and a dialect that refuses
 * a request while planning it, from what it finds on the server, names a rule of it too
 * ({@link UnsafeOperationException}).
 */
public enum LintRule {
    /** A non-constant default may be volatile and rewrite the table under an exclusive lock. */
    VOLATILE_DEFAULT("a default that is not a constant may be volatile: the server then computes it for every "
            + "existing row, rewriting the table under an exclusive lock",
            "add the column nullable or with a constant default, then backfill it with Flagway's backfill "
            + "(and set the default afterwards, for new rows only)", Servers.ALL),
    /** Changing a column's type in place rewrites the table and breaks instances still running the old code. */
    TYPE_CHANGE_IN_PLACE("changing a column's type in place usually rewrites or copies the whole table while "
            + "blocking writes, and breaks instances still running the old code",
            "add a new column of the new type and migrate to it with Flagway (dual write, backfill, flag-gated "
            + "reads, contract)", Servers.ALL),
    /** NOT NULL that is not proven by a validated check scans (or fails) under an exclusive lock. */
    NOT_NULL_WITHOUT_CHECK("NOT NULL without a default or a validated CHECK fails on existing rows or scans the "
            + "table under an exclusive lock, and breaks the inserts of instances that do not write the column",
            "add the column nullable and backfill it with Flagway, then add CHECK (column IS NOT NULL) NOT VALID, "
            + "VALIDATE it in a later migration and SET NOT NULL (SchemaOperation.setNotNull does all of this, "
            + "which validates a CHECK first)", Servers.ALL),
    /** A plain index build blocks writes for the whole build; a plain DROP INDEX blocks reads too. */
    NON_CONCURRENT_INDEX("building, rebuilding or dropping an index without CONCURRENTLY locks the table: a build "
            + "blocks writes until it finishes, DROP INDEX blocks reads and writes",
            "use CREATE INDEX, DROP INDEX or REINDEX with CONCURRENTLY, outside a transaction "
            + "(SchemaOperation.createIndex builds concurrently, online, without blocking writes)",
            Servers.POSTGRESQL_AND_OTHER),
    /** A constraint validated while it is added scans the table under a lock that blocks writes. */
    VALIDATING_CONSTRAINT("a constraint validated while it is added scans the table under a lock that blocks writes",
            "add it NOT VALID and VALIDATE it in a later migration, which does not block writes (the default of "
            + "SchemaOperation.addCheck and addForeignKey); MySQL and MariaDB have no NOT VALID: keep the rule "
            + "in the application, or accept the table copy in a maintenance window", Servers.ALL),
    /** Renaming a column breaks every instance that still uses the old name. */
    COLUMN_RENAME("renaming a column breaks every running instance that still reads or writes the old name",
            "add a new column, migrate to it with Flagway, and contract the old one when the gate allows it",
            Servers.ALL),
    /** A UNIQUE or PRIMARY KEY constraint builds its index under an ACCESS EXCLUSIVE lock. */
    UNIQUE_CONSTRAINT("adding a UNIQUE or PRIMARY KEY constraint builds its index under an ACCESS EXCLUSIVE lock, "
            + "blocking reads and writes for the whole build",
            "build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) "
            + "USING INDEX", Servers.POSTGRESQL_AND_OTHER),
    /** Dropping a column breaks every instance that still uses it. */
    COLUMN_DROP("dropping a column breaks every running instance that still reads or writes it, and its data is gone",
            "drop it only as the contract step of a Flagway migration, once the gate allows it, and waive this "
            + "finding naming that migration", Servers.ALL),
    /** Renaming a table, or moving it to another schema, breaks every instance that uses the old name. */
    TABLE_RENAME("renaming a table (or moving it to another schema) breaks every running instance that still uses "
            + "the old name",
            "create the new table and migrate to it with Flagway (dual write, backfill, flag-gated reads), then "
            + "drop the old one when no instance uses it", Servers.ALL),
    /** Dropping a table deletes its data and breaks every instance that uses it. */
    TABLE_DROP("dropping a table deletes its data and breaks every running instance that still reads or writes it",
            "stop every reader and writer first (for a migrated table: once Flagway's contract gate passes), then "
            + "waive this finding naming why it is safe", Servers.ALL),
    /** The statement rebuilds the whole table. */
    TABLE_REBUILD("the statement rebuilds the whole table: on a big table that is hours of I/O and replication lag, "
            + "and PostgreSQL holds an ACCESS EXCLUSIVE lock throughout",
            "reach the schema without a rebuild (add a plain column and migrate to it with Flagway), or rebuild "
            + "with an online tool (pg_repack, gh-ost, pt-online-schema-change) in a quiet hour", Servers.ALL),
    /** MySQL/MariaDB can only do this by copying the table, which blocks writes. */
    TABLE_COPY("the server can only do this by copying the table (ALGORITHM=COPY), which blocks writes until the "
            + "copy finishes",
            "reach the same schema with an online change (add a new column and migrate to it with Flagway), or "
            + "waive this finding for a maintenance window (a SchemaOperation on MySQL/MariaDB: allow it with "
            + "MySqlSettings.custom().allowBlockingDdl(reason))", Servers.MYSQL_FAMILY),
    /** MySQL/MariaDB would hold a lock that blocks writes (LOCK=SHARED) or reads and writes (LOCK=EXCLUSIVE). */
    BLOCKING_LOCK("the statement runs under LOCK=SHARED or LOCK=EXCLUSIVE, which blocks writes (EXCLUSIVE also "
            + "reads) until it finishes",
            "drop the LOCK clause or use LOCK=NONE, so that the server refuses instead of blocking; do what cannot "
            + "run without a lock online with Flagway, or in a maintenance window (a SchemaOperation on "
            + "MySQL/MariaDB: allow it with MySqlSettings.custom().allowBlockingDdl(reason))", Servers.MYSQL_FAMILY),
    /** Converting a table's character set re-encodes every text column. */
    CHARSET_CONVERSION("converting a table's character set re-encodes every text column, usually by copying the "
            + "table while blocking writes, and changes comparisons and index key lengths under running instances",
            "add columns in the new character set and migrate to them with Flagway, one column at a time",
            Servers.MYSQL_FAMILY),
    /**
     * A view, trigger or generated column still reads the column to drop. Only a dialect reports it,
     * from the server's catalog while it plans the drop (the MySQL/MariaDB one); neither linter sees
     * those objects, so for them it applies to no server.
     */
    COLUMN_STILL_READ("the column is still read by the database objects listed; dropping it would break them",
            "change or drop those objects first, then contract the column", Servers.NONE),
    /** The SQL linter could not read the statement, so it cannot vouch for it. */
    UNPARSED("the linter could not read this statement, so it cannot vouch for it",
            "check it by hand and waive it with the reason (-- flagway:allow UNPARSED reason), or split it into "
            + "statements the linter reads", Servers.ALL),
    /** A waiver comment without a known rule or without a reason; it cannot itself be waived. */
    INVALID_WAIVER("a waiver without a known rule and a reason waives nothing and hides why the statement is safe",
            "write -- flagway:allow RULE reason, with a rule of this catalogue and why it is safe here", Servers.ALL);

    private final String risk;
    private final String alternative;
    private final Set<ServerKind> servers;

    LintRule(String risk, String alternative, Set<ServerKind> servers) {
        this.risk = risk;
        this.alternative = alternative;
        this.servers = Collections.unmodifiableSet(servers);
    }

    /** What goes wrong when the request runs as it is. */
    public String risk() {
        return risk;
    }

    /** The safe way to reach the same schema. */
    public String alternative() {
        return alternative;
    }

    /** The servers the linters judge this rule for; on the others they never report it. */
    public Set<ServerKind> servers() {
        return servers;
    }

    /** Whether this rule judges statements for {@code server}. */
    public boolean appliesTo(ServerKind server) {
        return servers.contains(server);
    }

    /** Whether an inline {@code -- flagway:allow} comment may waive a finding of this rule. */
    public boolean waivable() {
        return this != INVALID_WAIVER;
    }

    /** Server sets, in a holder because enum constants cannot refer to static fields of their own enum. */
    private static final class Servers {
        static final Set<ServerKind> ALL = EnumSet.allOf(ServerKind.class);
        static final Set<ServerKind> NONE = EnumSet.noneOf(ServerKind.class);
        static final Set<ServerKind> POSTGRESQL_AND_OTHER = EnumSet.of(ServerKind.POSTGRESQL, ServerKind.OTHER);
        static final Set<ServerKind> MYSQL_FAMILY = EnumSet.of(ServerKind.MYSQL, ServerKind.MARIADB);
    }
}
