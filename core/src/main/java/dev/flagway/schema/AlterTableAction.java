package dev.flagway.schema;

import dev.flagway.schema.DdlChange.ConstraintKind;
import dev.flagway.schema.DdlChange.IndexKind;
import dev.flagway.schema.TokenCursor.Unreadable;
import java.util.List;
import java.util.Locale;
import org.jooq.impl.ParserException;

/**
 * Reads one action of an ALTER TABLE statement (PostgreSQL, MySQL and MariaDB forms) into the
 * statement's changes: ADD COLUMN and constraints and indexes, DROP, ALTER COLUMN, MODIFY, CHANGE,
 * RENAME, VALIDATE CONSTRAINT, CONVERT TO CHARACTER SET, and table options, including MySQL's
 * {@code ALGORITHM=} and {@code LOCK=}. An action it does not know is {@link Unreadable}.
 */
final class AlterTableAction {
    private static final String[] INDEX_WORDS = {"INDEX", "KEY"};

    private final TableRef table;
    private final TokenCursor c;
    private final int line;
    private final StatementChanges.Builder out;
    private final ServerKind server;
    private final SqlPieces pieces;

    private AlterTableAction(TableRef table, List<SqlToken> tokens, StatementChanges.Builder out, ServerKind server,
            SqlPieces pieces) {
        this.table = table;
        this.c = new TokenCursor(tokens);
        this.line = tokens.get(0).line();
        this.out = out;
        this.server = server;
        this.pieces = pieces;
    }

    /** Reads {@code tokens}, one non-empty action of ALTER TABLE {@code table}, into {@code out}. */
    static void read(TableRef table, List<SqlToken> tokens, StatementChanges.Builder out, ServerKind server,
            SqlPieces pieces) {
        new AlterTableAction(table, tokens, out, server, pieces).read();
    }

    private void read() {
        if (c.accept("ADD")) {
            add();
        } else if (c.accept("DROP")) {
            drop();
        } else if (c.accept("ALTER")) {
            alter();
        } else if (c.accept("MODIFY")) {
            c.accept("COLUMN");
            String column = c.name();
            definition(c.rest());
            change(new DdlChange.ChangeType(table, column, "MODIFY restates the column's whole definition"));
        } else if (c.accept("CHANGE")) {
            c.accept("COLUMN");
            String column = c.name();
            String renamed = c.name();
            definition(c.rest());
            change(new DdlChange.ChangeType(table, column, "CHANGE restates the column's whole definition"));
            if (!renamed.equals(column)) {
                change(new DdlChange.RenameColumn(table, column, renamed));
            }
        } else if (c.accept("RENAME")) {
            rename();
        } else if (c.accept("VALIDATE", "CONSTRAINT")) {
            change(new DdlChange.ValidateConstraint(table, c.name()));
            c.expectEnd();
        } else if (c.accept("CONVERT", "TO")) {
            if (c.acceptAny("CHARSET") == null) {
                c.expect("CHARACTER", "SET");
            }
            c.rest();
            change(new DdlChange.ConvertCharset(table));
        } else {
            options();
        }
    }

    private void change(DdlChange change) {
        out.add(change, line);
    }

    private ColumnDefinition definition(List<SqlToken> tokens) {
        return ColumnDefinition.read(tokens, server, pieces);
    }

    private void add() {
        boolean column = c.accept("COLUMN");
        if (!column && (c.at("CONSTRAINT") || atConstraintKind() || c.at("INDEX") || c.at("KEY") || c.at("FULLTEXT")
                || c.at("SPATIAL"))) {
            addConstraintOrIndex();
            return;
        }
        if (c.at("PARTITION") || c.at("PERIOD")) {
            throw c.unexpected("a column or constraint");
        }
        c.accept("IF", "NOT", "EXISTS");
        if (c.atSymbol('(')) {
            for (List<SqlToken> each : TokenCursor.split(c.parenthesised(), ',')) {
                addColumn(new TokenCursor(each));
            }
            c.expectEnd();
        } else {
            addColumn(c);
        }
    }

    private void addColumn(TokenCursor column) {
        String name = column.name();
        ColumnDefinition definition = definition(column.rest());
        change(new DdlChange.AddColumn(table, name, definition.notNull(), definition.defaultValue(),
                definition.autoIncrement(), definition.generated(), definition.inline()));
    }

    private boolean atConstraintKind() {
        return c.at("PRIMARY") || c.at("UNIQUE") || c.at("FOREIGN") || c.at("CHECK") || c.at("EXCLUDE");
    }

    private void addConstraintOrIndex() {
        String name = c.accept("CONSTRAINT") && !atConstraintKind() ? c.name() : null;
        if (c.accept("PRIMARY", "KEY")) {
            constraint(name, ConstraintKind.PRIMARY_KEY);
        } else if (c.accept("UNIQUE")) {
            c.acceptAny(INDEX_WORDS);
            constraint(name, ConstraintKind.UNIQUE);
        } else if (c.accept("FOREIGN", "KEY")) {
            constraint(name, ConstraintKind.FOREIGN_KEY);
        } else if (c.accept("CHECK")) {
            String notNullColumn = notNullColumn(c.parenthesised());
            change(new DdlChange.AddConstraint(table, name, ConstraintKind.CHECK, deferred(c.rest()), false,
                    notNullColumn));
        } else if (c.accept("EXCLUDE")) {
            constraint(name, ConstraintKind.EXCLUSION);
        } else if (c.accept("FULLTEXT")) {
            c.acceptAny(INDEX_WORDS);
            index(IndexKind.FULLTEXT);
        } else if (c.accept("SPATIAL")) {
            c.acceptAny(INDEX_WORDS);
            index(IndexKind.SPATIAL);
        } else if (c.acceptAny(INDEX_WORDS) != null) {
            index(IndexKind.PLAIN);
        } else {
            throw c.unexpected("PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK, EXCLUDE or INDEX");
        }
    }

    private void index(IndexKind kind) {
        String index = c.atSymbol('(') ? null : c.name();
        if (c.rest().stream().noneMatch(t -> t.isSymbol('('))) {
            throw new Unreadable("ADD INDEX without a column list");
        }
        change(new DdlChange.CreateIndex(table, index, false, kind));
    }

    private void constraint(String name, ConstraintKind kind) {
        if (c.accept("USING", "INDEX")) {
            c.name();
            c.rest();
            change(new DdlChange.AddConstraint(table, name, kind, false, true, null));
            return;
        }
        List<SqlToken> body = c.rest();
        if (body.stream().noneMatch(t -> t.isSymbol('('))) {
            throw new Unreadable("a " + kind + " constraint without a column list");
        }
        change(new DdlChange.AddConstraint(table, name, kind, deferred(body), false, null));
    }

    /** The column of {@code CHECK (column IS NOT NULL)}, or null for any other condition. */
    private String notNullColumn(List<SqlToken> condition) {
        try {
            return pieces.notNullColumn(condition).orElse(null);
        } catch (ParserException e) {
            return null; // a CHECK jOOQ cannot read proves no NOT NULL; the CHECK itself is judged all the same
        }
    }

    /** Whether a constraint's trailing clauses defer checking existing rows (NOT VALID, NOT ENFORCED). */
    private static boolean deferred(List<SqlToken> body) {
        for (int i = 0; i + 1 < body.size(); i++) {
            if (body.get(i).is("NOT") && (body.get(i + 1).is("VALID") || body.get(i + 1).is("ENFORCED"))) {
                return true;
            }
        }
        return false;
    }

    private void drop() {
        if (c.accept("CONSTRAINT")) {
            c.accept("IF", "EXISTS");
            dropNamed();
        } else if (c.acceptAny(INDEX_WORDS) != null) {
            dropNamed();
        } else if (c.accept("PRIMARY", "KEY")) {
            change(new DdlChange.DropPrimaryKey(table));
            c.expectEnd();
        } else if (c.accept("FOREIGN", "KEY") || c.accept("CHECK")) {
            dropNamed();
        } else if (c.at("PARTITION") || c.at("DEFAULT") || c.at("SYSTEM")) {
            throw c.unexpected("a column, constraint or index");
        } else {
            c.accept("COLUMN");
            c.accept("IF", "EXISTS");
            change(new DdlChange.DropColumn(table, c.name(), false));
            c.acceptAny("CASCADE", "RESTRICT");
            c.expectEnd();
        }
    }

    /** Drops a named constraint or index: metadata only. */
    private void dropNamed() {
        c.name();
        c.acceptAny("CASCADE", "RESTRICT");
        c.expectEnd();
        change(new DdlChange.Metadata(table));
    }

    private void alter() {
        if (c.accept("INDEX") || c.accept("CONSTRAINT")) {
            c.name();
            c.rest();
            change(new DdlChange.Metadata(table));
            return;
        }
        c.accept("COLUMN");
        String column = c.name();
        if (c.accept("TYPE") || c.accept("SET", "DATA", "TYPE")) {
            List<SqlToken> type = c.rest();
            int using = TokenCursor.indexOfTopLevel(type, t -> t.is("USING"));
            String target = TokenCursor.text(using < 0 ? type : type.subList(0, using));
            if (target.isEmpty()) {
                throw new Unreadable("ALTER COLUMN " + column + " TYPE without a type");
            }
            change(new DdlChange.ChangeType(table, column, "the type becomes " + target));
        } else if (c.accept("SET", "NOT", "NULL")) {
            c.expectEnd();
            change(new DdlChange.SetNotNull(table, column, false));
        } else if (c.accept("SET", "DEFAULT")) {
            c.rest(); // a default set now applies to new rows only: whatever it is, no row is rewritten
            change(new DdlChange.Metadata(table));
        } else if (c.accept("DROP", "DEFAULT") || c.accept("DROP", "NOT", "NULL") || c.accept("DROP", "IDENTITY")
                || c.accept("DROP", "EXPRESSION")) {
            c.accept("IF", "EXISTS");
            c.expectEnd();
            change(new DdlChange.Metadata(table));
        } else if (c.accept("SET", "STATISTICS") || c.accept("SET", "STORAGE") || c.accept("SET", "COMPRESSION")
                || c.atThenSymbol("SET", '(') || c.atThenSymbol("RESET", '(') || c.accept("SET", "VISIBLE")
                || c.accept("SET", "INVISIBLE") || c.accept("ADD", "GENERATED") || c.accept("SET", "GENERATED")
                || c.accept("SET", "INCREMENT") || c.accept("SET", "START") || c.accept("RESTART")) {
            c.rest();
            change(new DdlChange.Metadata(table));
        } else {
            throw c.unexpected("TYPE, SET/DROP DEFAULT, SET/DROP NOT NULL or another column attribute");
        }
    }

    private void rename() {
        if (c.accept("TO") || c.accept("AS")) {
            c.qualifiedName();
            c.expectEnd();
            change(new DdlChange.RenameTable(table, "is renamed"));
        } else if (c.accept("CONSTRAINT") || c.acceptAny(INDEX_WORDS) != null) {
            c.name();
            c.expect("TO");
            c.name();
            c.expectEnd();
            change(new DdlChange.Metadata(table));
        } else {
            boolean column = c.accept("COLUMN");
            String from = c.name();
            if (!column && c.atEnd()) {
                change(new DdlChange.RenameTable(table, "is renamed"));
                return;
            }
            c.expect("TO");
            String to = c.name();
            c.expectEnd();
            change(new DdlChange.RenameColumn(table, from, to));
        }
    }

    /** PostgreSQL's whole-table actions, else MySQL's table options. */
    private void options() {
        if (c.accept("OWNER", "TO") || c.accept("REPLICA", "IDENTITY") || c.at("ENABLE") || c.at("DISABLE")
                || c.accept("FORCE", "ROW") || c.accept("NO", "FORCE") || c.accept("CLUSTER", "ON")
                || c.accept("SET", "WITHOUT") || c.atThenSymbol("SET", '(') || c.atThenSymbol("RESET", '(')) {
            c.rest();
            change(new DdlChange.Metadata(table));
        } else if (c.accept("SET", "SCHEMA")) {
            c.name();
            c.expectEnd();
            change(new DdlChange.RenameTable(table, "moves to another schema"));
        } else if (c.accept("SET", "TABLESPACE") || c.accept("SET", "LOGGED") || c.accept("SET", "UNLOGGED")
                || c.accept("SET", "ACCESS", "METHOD")) {
            c.rest();
            change(new DdlChange.Rebuild(table, "the table's storage is rewritten or moved"));
        } else {
            while (!c.atEnd()) {
                mysqlOption();
            }
        }
    }

    /** One MySQL table option; options may follow one another without commas. */
    private void mysqlOption() {
        if (out.clause(c)) {
            return;
        }
        c.accept("DEFAULT");
        if (c.accept("FORCE")) {
            change(new DdlChange.Rebuild(table, "FORCE"));
        } else if (c.accept("CHARACTER", "SET") || c.accept("CHARSET") || c.accept("COLLATE")) {
            optionValue();
            change(new DdlChange.DefaultCharset(table));
        } else if (c.at("ENGINE") || c.at("ROW_FORMAT") || c.at("KEY_BLOCK_SIZE")) {
            String option = c.next().text().toUpperCase(Locale.ROOT);
            optionValue();
            change(new DdlChange.Rebuild(table, option + "="));
        } else if (c.acceptAny("AUTO_INCREMENT", "COMMENT", "STATS_PERSISTENT", "STATS_AUTO_RECALC",
                "STATS_SAMPLE_PAGES") != null) {
            optionValue();
            change(new DdlChange.Metadata(table));
        } else {
            throw c.unexpected("an ALTER TABLE action");
        }
    }

    private void optionValue() {
        c.acceptSymbol('=');
        c.next();
    }
}
