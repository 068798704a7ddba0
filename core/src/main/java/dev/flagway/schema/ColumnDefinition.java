package dev.flagway.schema;

import dev.flagway.schema.DdlChange.ConstraintKind;
import dev.flagway.schema.DdlChange.Generated;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the rules need of a column definition ({@code type [NOT NULL] [DEFAULT expr] ...}): its
 * nullability, its default ({@link ColumnDefault}), whether the server numbers or computes it, and the
 * constraints declared with it. The type itself is skipped: jOOQ's parser refuses common ones
 * ({@code decimal(10,2) unsigned}, {@code geometry}, {@code bit varying}), and no rule depends on it
 * beyond PostgreSQL's serial types.
 *
 * @param notNull whether it is declared NOT NULL (or PRIMARY KEY)
 * @param defaultValue its default, or null
 * @param autoIncrement whether the server numbers it (serial, identity, AUTO_INCREMENT)
 * @param generated whether and how it is computed from other columns
 * @param inline the constraints declared with it
 */
record ColumnDefinition(boolean notNull, ColumnDefault defaultValue, boolean autoIncrement, Generated generated,
        Set<ConstraintKind> inline) {
    /** Words that end the type, or a DEFAULT expression, at the top level of a column definition. */
    private static final Set<String> CLAUSES = Set.of("NOT", "NULL", "DEFAULT", "CONSTRAINT", "PRIMARY",
            "UNIQUE", "CHECK", "REFERENCES", "COLLATE", "GENERATED", "AS", "ON", "COMMENT", "AUTO_INCREMENT",
            "CHARACTER", "CHARSET", "VISIBLE", "INVISIBLE", "FIRST", "AFTER", "STORAGE", "COLUMN_FORMAT", "SRID",
            "DEFERRABLE", "INITIALLY", "KEY", "COMPRESSION", "ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE");
    private static final Set<String> SERIAL_TYPES = Set.of("serial", "bigserial", "smallserial", "serial2",
            "serial4", "serial8");

    ColumnDefinition {
        inline = Set.copyOf(inline);
    }

    /**
     * Reads the definition that follows a column's name.
     *
     * @throws TokenCursor.Unreadable for a clause it does not know
     * @throws org.jooq.impl.ParserException when jOOQ cannot read the default
     */
    static ColumnDefinition read(List<SqlToken> definition, ServerKind server, SqlPieces pieces) {
        if (definition.isEmpty()) {
            throw new TokenCursor.Unreadable("a column without a type");
        }
        return new Reader(new TokenCursor(definition), server, pieces).read();
    }

    private static final class Reader {
        private final TokenCursor c;
        private final ServerKind server;
        private final SqlPieces pieces;
        private boolean notNull;
        private ColumnDefault defaultValue;
        private boolean autoIncrement;
        private Generated generated = Generated.NONE;
        private final Set<ConstraintKind> inline = EnumSet.noneOf(ConstraintKind.class);

        Reader(TokenCursor c, ServerKind server, SqlPieces pieces) {
            this.c = c;
            this.server = server;
            this.pieces = pieces;
        }

        ColumnDefinition read() {
            autoIncrement = SERIAL_TYPES.contains(c.next().text().toLowerCase(Locale.ROOT));
            while (!c.atEnd() && !atClause()) {
                if (c.atSymbol('(')) {
                    c.parenthesised();
                } else {
                    c.next();
                }
            }
            while (!c.atEnd()) {
                clause();
            }
            return new ColumnDefinition(notNull, defaultValue, autoIncrement, generated, inline);
        }

        private boolean atClause() {
            SqlToken token = c.peek();
            return token.kind() == SqlToken.Kind.WORD && CLAUSES.contains(token.text().toUpperCase(Locale.ROOT));
        }

        private void clause() {
            if (c.accept("NOT", "NULL")) {
                notNull = true;
            } else if (c.accept("NULL")) {
                notNull = false;
            } else if (c.accept("DEFAULT")) {
                List<SqlToken> expression = new ArrayList<>(c.atSymbol('(') ? c.group() : List.of(c.next()));
                while (!c.atEnd() && (!atClause() || expression.get(expression.size() - 1).isSymbol(':'))) {
                    expression.addAll(c.atSymbol('(') ? c.group() : List.of(c.next())); // a type after :: is no clause
                }
                defaultValue = ColumnDefault.read(expression, pieces);
            } else if (c.accept("CONSTRAINT")) {
                c.name();
            } else if (c.accept("PRIMARY", "KEY")) {
                inline.add(ConstraintKind.PRIMARY_KEY);
                notNull = true;
            } else if (c.accept("UNIQUE")) {
                c.accept("KEY");
                inline.add(ConstraintKind.UNIQUE);
            } else if (c.accept("CHECK")) {
                c.parenthesised();
                inline.add(ConstraintKind.CHECK);
                c.accept("NOT", "VALID");
            } else if (c.accept("REFERENCES")) {
                c.qualifiedName();
                if (c.atSymbol('(')) {
                    c.parenthesised();
                }
                inline.add(ConstraintKind.FOREIGN_KEY);
            } else if (c.accept("AUTO_INCREMENT")) {
                autoIncrement = true;
            } else if (c.at("GENERATED") || c.at("AS")) {
                generated();
            } else if (c.accept("ON")) {
                referentialOrUpdateAction();
            } else if (c.accept("MATCH") || c.accept("COLLATE") || c.accept("CHARACTER", "SET") || c.accept("CHARSET")
                    || c.accept("COMMENT") || c.accept("STORAGE") || c.accept("COLUMN_FORMAT") || c.accept("SRID")
                    || c.accept("INITIALLY") || c.accept("COMPRESSION") || c.accept("ENGINE_ATTRIBUTE")
                    || c.accept("SECONDARY_ENGINE_ATTRIBUTE")) {
                c.acceptSymbol('=');
                c.next();
            } else if (c.accept("AFTER")) {
                c.name();
            } else if (c.acceptAny("VISIBLE", "INVISIBLE", "DEFERRABLE", "KEY", "FIRST") == null
                    && !c.accept("NOT", "DEFERRABLE")) {
                throw c.unexpected("a column clause");
            }
        }

        /** {@code GENERATED ... AS IDENTITY} numbers rows; {@code [GENERATED ALWAYS] AS (expr)} computes them. */
        private void generated() {
            if (c.accept("GENERATED") && !c.accept("ALWAYS")) {
                c.expect("BY", "DEFAULT");
            }
            c.expect("AS");
            if (c.accept("IDENTITY")) {
                autoIncrement = true;
                if (c.atSymbol('(')) {
                    c.parenthesised();
                }
                return;
            }
            c.parenthesised();
            String kind = c.acceptAny("STORED", "PERSISTENT", "VIRTUAL");
            generated = "VIRTUAL".equals(kind) || (kind == null && server.isMySqlFamily())
                    ? Generated.VIRTUAL : Generated.STORED;
        }

        /** {@code ON DELETE|UPDATE action} of a reference, or MySQL's {@code ON UPDATE CURRENT_TIMESTAMP}. */
        private void referentialOrUpdateAction() {
            if (c.acceptAny("DELETE", "UPDATE") == null) {
                throw c.unexpected("DELETE or UPDATE");
            }
            if (c.accept("SET")) {
                c.next();
            } else if (c.accept("NO")) {
                c.expect("ACTION");
            } else {
                c.next();
                if (c.atSymbol('(')) {
                    c.parenthesised();
                }
            }
        }
    }
}
