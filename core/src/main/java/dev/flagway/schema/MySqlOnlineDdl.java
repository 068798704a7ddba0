package dev.flagway.schema;

import dev.flagway.schema.DdlChange.ConstraintKind;
import dev.flagway.schema.DdlChange.Generated;
import dev.flagway.schema.DdlChange.IndexKind;

/**
 * The least-locking way MySQL 8.0 and MariaDB 10.6+ (InnoDB) can make a change, from their online
 * DDL tables: most changes are INSTANT or INPLACE with LOCK=NONE; a few need LOCK=SHARED or
 * ALGORITHM=COPY. The linter claims only what holds whatever the table looks like; what depends on
 * the column's current type or character set (MODIFY, CONVERT TO) is left to its own rule.
 */
final class MySqlOnlineDdl {
    /** How the server locks the table for a change. */
    enum Locking {
        /** Online (INSTANT or INPLACE with LOCK=NONE), or not known without the table. */
        NONE,
        /** In place but LOCK=SHARED: writes wait. */
        SHARED,
        /** ALGORITHM=COPY: writes wait for the whole copy. */
        COPY
    }

    /** A change's locking and why. */
    record Verdict(Locking locking, String why) {
        static final Verdict ONLINE = new Verdict(Locking.NONE, "");
    }

    private MySqlOnlineDdl() {
    }

    static Verdict of(DdlChange change, boolean foreignKeyChecks) {
        if (change instanceof DdlChange.AddColumn add) {
            if (add.generated() == Generated.STORED) {
                return new Verdict(Locking.COPY, "adding a stored generated column");
            }
            if (add.inline().contains(ConstraintKind.CHECK)) {
                return new Verdict(Locking.COPY, "adding a CHECK constraint");
            }
            if (add.inline().contains(ConstraintKind.FOREIGN_KEY) && foreignKeyChecks) {
                return new Verdict(Locking.COPY, "adding a foreign key with foreign_key_checks on");
            }
            if (add.autoIncrement()) {
                return new Verdict(Locking.SHARED, "adding an AUTO_INCREMENT column");
            }
        } else if (change instanceof DdlChange.CreateIndex index && index.kind() != IndexKind.PLAIN) {
            return new Verdict(Locking.SHARED, "building a " + index.kind() + " index");
        } else if (change instanceof DdlChange.AddConstraint constraint) {
            if (constraint.kind() == ConstraintKind.CHECK && !constraint.deferred()) {
                return new Verdict(Locking.COPY, "adding a CHECK constraint");
            }
            if (constraint.kind() == ConstraintKind.FOREIGN_KEY && foreignKeyChecks) {
                return new Verdict(Locking.COPY, "adding a foreign key with foreign_key_checks on");
            }
        } else if (change instanceof DdlChange.DropPrimaryKey) {
            return new Verdict(Locking.COPY, "dropping the primary key without adding another");
        }
        return Verdict.ONLINE;
    }

    /** Whether {@code change} adds a primary key, which makes dropping the old one an in-place rebuild. */
    static boolean addsPrimaryKey(DdlChange change) {
        return change instanceof DdlChange.AddConstraint c && c.kind() == ConstraintKind.PRIMARY_KEY;
    }
}
