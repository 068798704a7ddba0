package dev.flagway.liquibase;

import dev.flagway.schema.SchemaOperation;
import java.util.Arrays;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.statement.SqlStatement;

/**
 * {@code flagwayCreateIndex}: an index built without blocking writes ({@code CONCURRENTLY} on
 * PostgreSQL, outside a transaction; online on MySQL and MariaDB).
 *
 * <pre>{@code
 * <fw:flagwayCreateIndex tableName="users" indexName="users_email_normalized_idx" columns="email_normalized"/>
 * }</pre>
 */
@DatabaseChange(name = "flagwayCreateIndex", description = "Builds an index without blocking writes (Flagway expand)",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "index")
public class FlagwayCreateIndexChange extends FlagwayChange {
    private String tableName;
    private String indexName;
    private String columns;
    private Boolean unique;

    /** The table. */
    @DatabaseChangeProperty(description = "The table", requiredForDatabase = "all")
    public String getTableName() {
        return tableName;
    }

    /** Sets the table. */
    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    /** The index. */
    @DatabaseChangeProperty(description = "The index", requiredForDatabase = "all")
    public String getIndexName() {
        return indexName;
    }

    /** Sets the index. */
    public void setIndexName(String indexName) {
        this.indexName = indexName;
    }

    /** The indexed columns, comma-separated. */
    @DatabaseChangeProperty(description = "The indexed columns, comma-separated", requiredForDatabase = "all")
    public String getColumns() {
        return columns;
    }

    /** Sets the columns. */
    public void setColumns(String columns) {
        this.columns = columns;
    }

    /** Whether the index is unique; false by default. */
    @DatabaseChangeProperty(description = "Whether the index is unique")
    public Boolean getUnique() {
        return unique;
    }

    /** Sets uniqueness. */
    public void setUnique(Boolean unique) {
        this.unique = unique;
    }

    @Override
    protected List<SchemaOperation> operations() {
        String[] cols = columns == null ? new String[0]
                : Arrays.stream(columns.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toArray(String[]::new);
        return List.of(Boolean.TRUE.equals(unique) ? SchemaOperation.createUniqueIndex(tableName, indexName, cols)
                : SchemaOperation.createIndex(tableName, indexName, cols));
    }

    @Override
    public boolean supportsRollback(Database database) {
        return true;
    }

    /** Drops the index again (concurrently where the server can). */
    @Override
    public SqlStatement[] generateRollbackStatements(Database database) {
        return statements(database, List.of(SchemaOperation.dropIndex(tableName, indexName)), null);
    }

    @Override
    public String getConfirmationMessage() {
        return "Flagway built index " + indexName + " on " + tableName;
    }
}
