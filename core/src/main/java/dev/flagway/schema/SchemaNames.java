package dev.flagway.schema;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import org.jooq.Name;

/** Checks that the names an operation is built from are plain identifiers. */
final class SchemaNames {
    private SchemaNames() {
    }

    static void requireTable(Name table) {
        Checks.notNull("table", table);
        String[] parts = table.getName();
        if (parts.length == 0 || parts.length > 2) {
            throw new IllegalArgumentException("table '" + table + "' must be table or schema.table");
        }
        for (String part : parts) {
            Identifiers.requireSqlName("table", part);
        }
    }

    static void requireSimple(String what, Name name) {
        Checks.notNull(what, name);
        if (name.getName().length != 1) {
            throw new IllegalArgumentException(what + " '" + name + "' must be a single unqualified identifier");
        }
        Identifiers.requireSqlName(what, name.first());
    }

    static String show(Name name) {
        return String.join(".", name.getName());
    }
}
