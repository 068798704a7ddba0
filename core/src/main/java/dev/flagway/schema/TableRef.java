package dev.flagway.schema;

import java.util.List;

/**
 * A table as a statement names it: {@code table} or {@code schema.table}, each part folded as the
 * server folds it. Two references match when their tables agree and, where both name a schema, their
 * schemas do.
 *
 * @param parts the name's parts, outermost first
 */
record TableRef(List<String> parts) {
    TableRef {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a table name needs at least one part");
        }
    }

    static TableRef of(org.jooq.Name name) {
        return new TableRef(List.of(name.getName()));
    }

    boolean matches(TableRef other) {
        if (!table().equals(other.table())) {
            return false;
        }
        return parts.size() < 2 || other.parts.size() < 2
                || parts.get(parts.size() - 2).equals(other.parts.get(other.parts.size() - 2));
    }

    private String table() {
        return parts.get(parts.size() - 1);
    }

    @Override
    public String toString() {
        return String.join(".", parts);
    }
}
