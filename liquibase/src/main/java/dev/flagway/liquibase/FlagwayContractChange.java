package dev.flagway.liquibase;

import dev.flagway.contract.ContractGate;
import dev.flagway.internal.Identifiers;
import dev.flagway.schema.SchemaOperation;
import java.util.List;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.statement.SqlStatement;

/**
 * {@code flagwayContract}: drops a Flagway migration's legacy column through its {@link ContractGate}
 * (registered with {@link FlagwayLiquibase#registerContractGate}), only when the gate allows it.
 * While the gate refuses, the changeset fails with the gate's reasons and Liquibase does not mark
 * it as run, so the next {@code update} tries again. {@code updateSql} prints the drop the gate
 * would run.
 *
 * <pre>{@code
 * <fw:flagwayContract migrationId="users-email" tableName="users" columnName="email"/>
 * }</pre>
 */
@DatabaseChange(name = "flagwayContract", description = "Drops a legacy column when Flagway's contract gate allows it",
        priority = ChangeMetaData.PRIORITY_DEFAULT, appliesTo = "column")
public class FlagwayContractChange extends FlagwayChange {
    private String migrationId;
    private String tableName;
    private String columnName;

    /** The Flagway migration. */
    @DatabaseChangeProperty(description = "The Flagway migration id", requiredForDatabase = "all")
    public String getMigrationId() {
        return migrationId;
    }

    /** Sets the migration. */
    public void setMigrationId(String migrationId) {
        this.migrationId = migrationId;
    }

    /** The migration's table. */
    @DatabaseChangeProperty(description = "The migration's table", requiredForDatabase = "all")
    public String getTableName() {
        return tableName;
    }

    /** Sets the table. */
    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    /** The legacy column the contract drops. */
    @DatabaseChangeProperty(description = "The legacy column", requiredForDatabase = "all")
    public String getColumnName() {
        return columnName;
    }

    /** Sets the legacy column. */
    public void setColumnName(String columnName) {
        this.columnName = columnName;
    }

    @Override
    protected List<SchemaOperation> operations() {
        Identifiers.requireMigrationId(migrationId);
        return List.of(SchemaOperation.dropColumn(tableName, columnName));
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        String id = migrationId;
        return statements(database, operations(), new FlagwayStatement.Run() {
            @Override
            public String describe() {
                return "flagway: runs only when the contract gate of migration '" + id + "' allows it at update";
            }

            @Override
            public void run() {
                ContractGate gate = FlagwayLiquibase.contractGate(id).orElseThrow(() -> new IllegalStateException(
                        "flagwayContract of migration '" + id + "': no contract gate is registered for it;"
                                + " call FlagwayLiquibase.registerContractGate(\"" + id + "\", gate) before update"));
                gate.contract("liquibase changeset " + getChangeSet());
            }
        });
    }

    @Override
    public String getConfirmationMessage() {
        return "Flagway contracted migration " + migrationId + ": dropped " + tableName + "." + columnName;
    }
}
