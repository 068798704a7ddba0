package dev.flagway.liquibase;

import java.sql.SQLException;
import liquibase.database.Database;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

/**
 * The SQL of a {@link FlagwayStatement}, for Liquibase's logs and checks: the statements the
 * executor plans. {@code update} does not run these through Liquibase; the statement runs them
 * itself through the lock-safe executor. Registered through {@code META-INF/services}.
 */
public final class FlagwayStatementGenerator extends AbstractSqlGenerator<FlagwayStatement> {
    /** Made by Liquibase's service loader. */
    public FlagwayStatementGenerator() {
    }

    @Override
    public boolean generateStatementsIsVolatile(Database database) {
        return true;
    }

    @Override
    public ValidationErrors validate(FlagwayStatement statement, Database database,
            SqlGeneratorChain<FlagwayStatement> chain) {
        return new ValidationErrors();
    }

    @Override
    public Sql[] generateSql(FlagwayStatement statement, Database database, SqlGeneratorChain<FlagwayStatement> chain) {
        try {
            return statement.plannedSql().stream().map(UnparsedSql::new).toArray(Sql[]::new);
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("Flagway cannot plan " + statement + ": " + e.getMessage(), e);
        }
    }
}
