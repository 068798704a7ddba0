package dev.flagway.schema;

import dev.flagway.internal.ServerDialect;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.Settings;
import org.jooq.impl.ParserException;
import org.jooq.impl.QOM;

/**
 * What jOOQ's parser reads for the linter: expressions (defaults), conditions (CHECK) and whole
 * statements of the kinds the linter has no rule for. jOOQ 3.19 keeps ALTER TABLE in a model it does
 * not publish, drops or refuses the dialect clauses the rules depend on (CONCURRENTLY, NOT VALID,
 * USING INDEX, ALGORITHM=, LOCK=, CHANGE, CONVERT TO, FULLTEXT, generated columns) and refuses
 * common column types ({@code decimal(10,2) unsigned}, {@code geometry}), so {@link StatementReader}
 * reads a DDL statement's frame and column definitions from tokens and hands these parts to jOOQ.
 * Thread-safe.
 */
final class SqlPieces {
    private final DSLContext dsl;
    private final boolean mysql;

    SqlPieces(ServerKind server) {
        this.mysql = server.isMySqlFamily();
        this.dsl = ServerDialect.using(server.parserDialect(), new Settings()
                .withParseDialect(server.parserDialect())
                .withParseUnknownFunctions(ParseUnknownFunctions.IGNORE));
    }

    /** An expression, e.g. a default. */
    Field<?> expression(List<SqlToken> tokens) {
        return dsl.parser().parseField(sql(tokens));
    }

    /** Checks that jOOQ reads the tokens as a statement (of any kind); throws {@link ParserException} when not. */
    void requireStatement(List<SqlToken> tokens) {
        dsl.parser().parse(sql(tokens));
    }

    /** The column of a {@code column IS NOT NULL} condition; empty for any other condition. */
    Optional<String> notNullColumn(List<SqlToken> condition) {
        Condition parsed = dsl.parser().parseCondition(sql(condition));
        if (parsed instanceof QOM.IsNotNull isNotNull) {
            return Optional.of(fold(isNotNull.$field().getUnqualifiedName()));
        }
        return Optional.empty();
    }

    /** SQL text jOOQ reads: MySQL's backslash-escaped and double-quoted strings become standard literals. */
    private String sql(List<SqlToken> tokens) {
        return TokenCursor.text(tokens, t -> mysql && t.kind() == SqlToken.Kind.STRING ? t.standardString() : t.text());
    }

    /** {@code value} as SQL of this server, literals inlined. */
    String render(Field<?> value) {
        return dsl.renderInlined(value);
    }

    /** A name as the server folds it: unquoted names in lower case. */
    static String fold(Name name) {
        return name.quoted() == Name.Quoted.QUOTED ? name.last() : name.last().toLowerCase(Locale.ROOT);
    }
}
