package dev.flagway.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the statements of one file have done so far, as far as the rules care: the tables and
 * indexes it created (any change to them is safe: no running instance uses them yet), the
 * constraints it added NOT VALID in the transaction still open, the NOT NULLs a validated CHECK
 * proves, and MySQL's {@code foreign_key_checks}. A migration tool runs a file in one transaction
 * unless it says COMMIT.
 */
final class LintContext {
    private final List<TableRef> createdTables = new ArrayList<>();
    private final Set<String> createdIndexes = new HashSet<>();
    private final List<Constraint> notValidInTransaction = new ArrayList<>();
    private final List<NotNullProof> pendingProofs = new ArrayList<>();
    private final List<NotNullProof> proofs = new ArrayList<>();
    private boolean foreignKeyChecks = true;

    private record Constraint(TableRef table, String name) {
        boolean is(TableRef otherTable, String otherName) {
            return name != null && name.equals(otherName) && table.matches(otherTable);
        }
    }

    private record NotNullProof(TableRef table, String constraint, String column) {
    }

    void tableCreated(TableRef table) {
        createdTables.add(table);
    }

    boolean isNewTable(TableRef table) {
        return table != null && createdTables.stream().anyMatch(t -> t.matches(table));
    }

    void indexCreated(String index) {
        if (index != null) {
            createdIndexes.add(index);
        }
    }

    boolean isNewIndex(String index) {
        return index != null && createdIndexes.contains(index);
    }

    /** A constraint added without checking existing rows; a CHECK (column IS NOT NULL) proves NOT NULL once validated. */
    void addedNotValid(TableRef table, String name, String notNullColumn) {
        notValidInTransaction.add(new Constraint(table, name));
        if (notNullColumn != null && name != null) {
            pendingProofs.add(new NotNullProof(table, name, notNullColumn));
        }
    }

    /** A CHECK (column IS NOT NULL) checked against every row: it proves NOT NULL. */
    void notNullProven(TableRef table, String column) {
        proofs.add(new NotNullProof(table, null, column));
    }

    /**
     * A constraint validated; returns whether it was added NOT VALID in the transaction still open,
     * where the validation runs under the lock that ADD took.
     */
    boolean validated(TableRef table, String name) {
        List<NotNullProof> proven = pendingProofs.stream()
                .filter(p -> Objects.equals(p.constraint(), name) && p.table().matches(table)).toList();
        pendingProofs.removeAll(proven);
        proofs.addAll(proven);
        return notValidInTransaction.stream().anyMatch(c -> c.is(table, name));
    }

    boolean provesNotNull(TableRef table, String column) {
        return proofs.stream().anyMatch(p -> p.column().equals(column) && p.table().matches(table));
    }

    void transactionEnded() {
        notValidInTransaction.clear();
    }

    void foreignKeyChecks(boolean on) {
        foreignKeyChecks = on;
    }

    boolean foreignKeyChecks() {
        return foreignKeyChecks;
    }
}
