package dev.flagway.schema;

import dev.flagway.schema.DdlChange.IndexKind;
import dev.flagway.schema.TokenCursor.Unreadable;
import java.util.ArrayList;
import java.util.List;
import org.jooq.impl.ParserException;

/**
 * Reads one SQL statement into the {@link DdlChange}s the rules judge. The DDL statements the rules
 * are about (CREATE/DROP INDEX, REINDEX, ALTER TABLE with {@link AlterTableAction}, CREATE/DROP/RENAME
 * TABLE, VACUUM, CLUSTER, OPTIMIZE) are read from tokens, strictly: what it does not know makes the
 * statement {@link DdlChange.Unparsed}. Defaults and CHECK conditions go to jOOQ's parser
 * ({@link SqlPieces}); any other statement must be one jOOQ reads, or it is unparsed too. Thread-safe.
 */
final class StatementReader {
    private final ServerKind server;
    private final SqlPieces pieces;

    StatementReader(ServerKind server) {
        this.server = server;
        this.pieces = new SqlPieces(server);
    }

    /** The changes of {@code statement}; one {@link DdlChange.Unparsed} when it cannot be read. */
    StatementChanges read(SqlScript.Statement statement) {
        if (!statement.problem().isEmpty()) {
            return StatementChanges.of(new DdlChange.Unparsed(statement.problem()), statement.line());
        }
        try {
            return new Reading(statement).read();
        } catch (Unreadable e) {
            return StatementChanges.of(new DdlChange.Unparsed(e.getMessage()), statement.line());
        } catch (ParserException e) {
            return StatementChanges.of(new DdlChange.Unparsed("jOOQ's parser: " + firstLine(e.getMessage())),
                    statement.line());
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The reading of one statement: its cursor, changes and clauses. */
    private final class Reading {
        private final SqlScript.Statement statement;
        private final TokenCursor cursor;
        private final StatementChanges.Builder out = new StatementChanges.Builder();

        Reading(SqlScript.Statement statement) {
            this.statement = statement;
            this.cursor = new TokenCursor(statement.tokens());
        }

        StatementChanges read() {
            TokenCursor c = cursor;
            if (c.at("CREATE", "INDEX") || c.at("CREATE", "UNIQUE") || c.at("CREATE", "FULLTEXT")
                    || c.at("CREATE", "SPATIAL")) {
                createIndex();
            } else if (c.accept("CREATE")) {
                create();
            } else if (c.accept("ALTER")) {
                alter();
            } else if (c.accept("DROP", "INDEX")) {
                dropIndex();
            } else if (c.at("DROP", "TABLE") || c.at("DROP", "TEMPORARY", "TABLE")) {
                dropTable();
            } else if (c.accept("DROP", "SCHEMA") || c.accept("DROP", "DATABASE")) {
                dropSchema();
            } else if (c.accept("REINDEX")) {
                reindex();
            } else if (c.accept("RENAME", "TABLE")) {
                renameTables();
            } else if (c.accept("VACUUM")) {
                vacuum();
            } else if (c.accept("CLUSTER")) {
                cluster();
            } else if (c.accept("OPTIMIZE")) {
                optimize();
            } else if (c.at("COMMIT") || c.at("END") || (c.at("ROLLBACK") && !rollbackToSavepoint())) {
                add(new DdlChange.EndTransaction(), statement.line());
            } else if (c.at("SET")) {
                set();
            } else if (c.at("BEGIN") || c.at("START", "TRANSACTION") || c.at("RESET") || c.at("ANALYZE")
                    || c.at("ANALYSE")) {
                add(new DdlChange.Metadata(null), statement.line());
            } else if (c.at("DO")) {
                throw new Unreadable("a DO block runs code the linter cannot read");
            } else {
                pieces.requireStatement(statement.tokens());
                add(new DdlChange.Metadata(null), statement.line());
            }
            return out.build();
        }

        private boolean rollbackToSavepoint() {
            return cursor.at("ROLLBACK", "TO") || cursor.at("ROLLBACK", "WORK", "TO")
                    || cursor.at("ROLLBACK", "TRANSACTION", "TO");
        }

        private void add(DdlChange change, int line) {
            out.add(change, line);
        }

        // --- CREATE ------------------------------------------------------------------------------

        private void createIndex() {
            TokenCursor c = cursor;
            c.expect("CREATE");
            c.accept("UNIQUE");
            IndexKind kind = c.accept("FULLTEXT") ? IndexKind.FULLTEXT
                    : c.accept("SPATIAL") ? IndexKind.SPATIAL : IndexKind.PLAIN;
            c.expect("INDEX");
            boolean concurrently = c.accept("CONCURRENTLY");
            c.accept("IF", "NOT", "EXISTS");
            String index = c.at("ON") ? null : c.name();
            c.expect("ON");
            c.accept("ONLY");
            TableRef table = c.qualifiedName();
            List<SqlToken> rest = c.rest();
            if (rest.stream().noneMatch(t -> t.isSymbol('('))) {
                throw new Unreadable("CREATE INDEX without a column list");
            }
            onlineClauses(rest);
            add(new DdlChange.CreateIndex(table, index, concurrently, kind), statement.line());
        }

        private void create() {
            TokenCursor c = cursor;
            boolean orReplace = c.accept("OR", "REPLACE");
            if (c.at("FUNCTION") || c.at("PROCEDURE") || c.at("TRIGGER") || c.at("CONSTRAINT", "TRIGGER")
                    || c.at("EXTENSION")) {
                add(new DdlChange.Metadata(null), statement.line());
                return;
            }
            c.acceptAny("GLOBAL", "LOCAL");
            c.acceptAny("TEMPORARY", "TEMP", "UNLOGGED");
            if (!c.accept("TABLE")) {
                pieces.requireStatement(statement.tokens());
                add(new DdlChange.Metadata(null), statement.line());
                return;
            }
            boolean mayExist = c.accept("IF", "NOT", "EXISTS");
            TableRef table = c.qualifiedName();
            if (orReplace) {
                add(new DdlChange.DropTable(table, false), statement.line());
            }
            // IF NOT EXISTS may leave an existing table, which later statements then change
            add(mayExist ? new DdlChange.Metadata(table) : new DdlChange.CreateTable(table), statement.line());
        }

        // --- DROP, REINDEX, RENAME, maintenance --------------------------------------------------

        private void dropIndex() {
            TokenCursor c = cursor;
            boolean concurrently = c.accept("CONCURRENTLY");
            c.accept("IF", "EXISTS");
            List<String> indexes = new ArrayList<>();
            do {
                indexes.add(c.qualifiedName().toString());
            } while (c.acceptSymbol(','));
            TableRef table = c.accept("ON") ? c.qualifiedName() : null;
            c.acceptAny("CASCADE", "RESTRICT");
            onlineClauses(c.rest());
            indexes.forEach(index -> add(new DdlChange.DropIndex(table, index, concurrently), statement.line()));
        }

        private void dropTable() {
            TokenCursor c = cursor;
            c.expect("DROP");
            c.accept("TEMPORARY");
            c.expect("TABLE");
            c.accept("IF", "EXISTS");
            do {
                add(new DdlChange.DropTable(c.qualifiedName(), false), statement.line());
            } while (c.acceptSymbol(','));
            c.acceptAny("CASCADE", "RESTRICT");
            c.expectEnd();
        }

        private void dropSchema() {
            TokenCursor c = cursor;
            c.accept("IF", "EXISTS");
            do {
                add(new DdlChange.DropTable(c.qualifiedName(), true), statement.line());
            } while (c.acceptSymbol(','));
            c.acceptAny("CASCADE", "RESTRICT");
            c.expectEnd();
        }

        private void reindex() {
            TokenCursor c = cursor;
            boolean concurrently = false;
            if (c.atSymbol('(')) {
                concurrently = c.parenthesised().stream().anyMatch(t -> t.is("CONCURRENTLY"));
            }
            String target = c.acceptAny("INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM");
            if (target == null) {
                throw c.unexpected("INDEX, TABLE, SCHEMA, DATABASE or SYSTEM");
            }
            concurrently |= c.accept("CONCURRENTLY");
            boolean named = target.equals("INDEX") || target.equals("TABLE") || !c.atEnd();
            TableRef name = named ? c.qualifiedName() : null;
            c.expectEnd();
            add(new DdlChange.Reindex(target.equals("TABLE") ? name : null,
                    target.equals("INDEX") ? name.toString() : null, concurrently), statement.line());
        }

        private void renameTables() {
            TokenCursor c = cursor;
            do {
                TableRef table = c.qualifiedName();
                c.expect("TO");
                c.qualifiedName();
                add(new DdlChange.RenameTable(table, "is renamed"), statement.line());
            } while (c.acceptSymbol(','));
            c.expectEnd();
        }

        private void vacuum() {
            TokenCursor c = cursor;
            boolean full = c.atSymbol('(') ? c.parenthesised().stream().anyMatch(t -> t.is("FULL"))
                    : c.accept("FULL");
            while (c.acceptAny("FREEZE", "VERBOSE", "ANALYZE", "ANALYSE") != null) {
                // options that do not rebuild the table
            }
            List<TableRef> tables = tableList(c);
            if (!full) {
                add(new DdlChange.Metadata(null), statement.line());
            } else if (tables.isEmpty()) {
                add(new DdlChange.Rebuild(null, "VACUUM FULL of every table"), statement.line());
            } else {
                tables.forEach(t -> add(new DdlChange.Rebuild(t, "VACUUM FULL"), statement.line()));
            }
        }

        private List<TableRef> tableList(TokenCursor c) {
            List<TableRef> tables = new ArrayList<>();
            while (!c.atEnd()) {
                tables.add(c.qualifiedName());
                if (c.atSymbol('(')) {
                    c.parenthesised();
                }
                if (!c.acceptSymbol(',')) {
                    c.expectEnd();
                }
            }
            return tables;
        }

        private void cluster() {
            TokenCursor c = cursor;
            c.accept("VERBOSE");
            TableRef table = c.atEnd() ? null : c.qualifiedName();
            if (c.accept("USING")) {
                c.name();
            }
            c.expectEnd();
            add(new DdlChange.Rebuild(table, table == null ? "CLUSTER of every clustered table" : "CLUSTER"),
                    statement.line());
        }

        private void optimize() {
            TokenCursor c = cursor;
            c.acceptAny("NO_WRITE_TO_BINLOG", "LOCAL");
            c.expect("TABLE");
            do {
                add(new DdlChange.Rebuild(c.qualifiedName(), "OPTIMIZE TABLE"), statement.line());
            } while (c.acceptSymbol(','));
            c.expectEnd();
        }

        /** {@code SET}: MySQL's foreign_key_checks matters; other settings change no schema. */
        private void set() {
            for (List<SqlToken> assignment : TokenCursor.split(cursor.rest(), ',')) {
                int at = TokenCursor.indexOfTopLevel(assignment, t -> t.is("foreign_key_checks"));
                if (server.isMySqlFamily() && at >= 0 && at + 2 < assignment.size()) {
                    String value = assignment.get(assignment.size() - 1).text();
                    boolean off = value.equals("0") || value.equalsIgnoreCase("OFF") || value.equalsIgnoreCase("FALSE");
                    add(new DdlChange.ForeignKeyChecks(!off), statement.line());
                    return;
                }
            }
            add(new DdlChange.Metadata(null), statement.line());
        }

        // --- ALTER -------------------------------------------------------------------------------

        private void alter() {
            TokenCursor c = cursor;
            if (c.accept("SCHEMA") || c.accept("DATABASE")) {
                alterSchema();
                return;
            }
            c.acceptAny("ONLINE", "IGNORE");
            if (!c.accept("TABLE")) {
                pieces.requireStatement(statement.tokens());
                add(new DdlChange.Metadata(null), statement.line());
                return;
            }
            c.accept("IF", "EXISTS");
            c.accept("ONLY");
            TableRef table = c.qualifiedName();
            c.acceptSymbol('*');
            List<SqlToken> rest = c.rest();
            if (rest.isEmpty()) {
                throw new Unreadable("ALTER TABLE " + table + " without an action");
            }
            for (List<SqlToken> action : TokenCursor.split(rest, ',')) {
                if (action.isEmpty()) {
                    throw new Unreadable("an empty action in ALTER TABLE " + table);
                }
                AlterTableAction.read(table, action, out, server, pieces);
            }
        }

        /** Renaming a schema is renaming every table in it; its other attributes change no table. */
        private void alterSchema() {
            TokenCursor c = cursor;
            TableRef schema = c.qualifiedName();
            if (c.accept("RENAME", "TO")) {
                c.name();
                c.expectEnd();
                add(new DdlChange.RenameTable(schema, "(a schema, with every table in it) is renamed"),
                        statement.line());
            } else {
                c.rest();
                add(new DdlChange.Metadata(null), statement.line());
            }
        }

        /** MySQL's trailing {@code ALGORITHM [=] x} and {@code LOCK [=] x} of CREATE INDEX and DROP INDEX. */
        private void onlineClauses(List<SqlToken> tokens) {
            TokenCursor c = new TokenCursor(tokens);
            while (!c.atEnd()) {
                if (c.atSymbol('(')) {
                    c.parenthesised();
                } else if (!out.clause(c)) {
                    c.next();
                }
            }
        }
    }
}
