package dev.flagway.postgres;

import dev.flagway.schema.DdlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before each attempt of {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS}: an INVALID index of the
 * same name, left by a failed build, would make {@code IF NOT EXISTS} skip the build, so it is
 * dropped concurrently first.
 */
final class InvalidIndexGuard implements DdlStatement.Guard {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidIndexGuard.class);

    private final Name index;
    private final String indexText;
    private final String dropSql;

    InvalidIndexGuard(DSLContext dsl, Name index) {
        this.index = index;
        this.indexText = dsl.render(index);
        this.dropSql = dsl.renderInlined(DSL.query("drop index concurrently if exists {0}", index));
    }

    @Override
    public String describe() {
        return "if index " + indexText + " exists but is INVALID: " + dropSql;
    }

    @Override
    public void beforeAttempt(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "select not i.indisvalid from pg_index i where i.indexrelid = to_regclass(?)")) {
            s.setString(1, indexText);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
        }
        LOG.warn("Index {} is INVALID (a concurrent build failed); dropping it concurrently before building it again",
                String.join(".", index.getName()));
        try (Statement s = connection.createStatement()) {
            s.execute(dropSql);
        }
    }
}
