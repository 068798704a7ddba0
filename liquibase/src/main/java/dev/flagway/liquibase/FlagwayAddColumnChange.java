package dev.flagway.liquibase;

import dev.flagway.schema.SchemaOperation;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.statement.SqlStatement;

/**
 * {@code flagwayAddColumn}: the expand step's new column, added lock-safely (nullable, no rewrite).
 *
 * <pre>{@code
 * <fw:flagwayAddColumn tableName="users" columnName="email_normalized" columnType="varchar(320)" lockTimeout="2s"/>
 * }</pre>
 */
@DatabaseChange(name = "flagwayAddColumn", description = "Adds a nullable column lock-safely (Flagway expand)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "table")
public class FlagwayAddColumnChange extends FlagwayChange {
    private String tableName;
    private String columnName;
    private String columnType;

    /** The table. */
    @DatabaseChangeProperty(description = "The table", requiredForDatabase = "all")
    public String getTableName() {
        return tableName;
    }

    /** Sets the table. */
    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    /** The new column. */
    @DatabaseChangeProperty(description = "The new column", requiredForDatabase = "all")
    public String getColumnName() {
        return columnName;
    }

    /** Sets the new column. */
    public void setColumnName(String columnName) {
        this.columnName = columnName;
    }

    /** Its SQL type, e.g. {@code varchar(320)}. */
    @DatabaseChangeProperty(description = "The column's SQL type, e.g. varchar(320)", requiredForDatabase = "all")
    public String getColumnType() {
        return columnType;
    }

    /** Sets the type. */
    public void setColumnType(String columnType) {
        this.columnType = columnType;
    }

    @Override
    protected List<SchemaOperation> operations() {
        return List.of(SchemaOperation.addColumn(tableName, columnName, ColumnTypes.parse(columnType)));
    }

    @Override
    public boolean supportsRollback(Database database) {
        return true;
    }

    /** Drops the column again. */
    @Override
    public SqlStatement[] generateRollbackStatements(Database database) {
        return statements(database, List.of(SchemaOperation.dropColumn(tableName, columnName)), null);
    }

    @Override
    public String getConfirmationMessage() {
        return "Flagway added column " + columnName + " to " + tableName;
    }
}
