package dev.flagway.schema;

import java.util.List;

/**
 * The reverse of an expand, ready to show and to run with {@link ExpandRollback#execute}.
 *
 * @param migrationId the migration
 * @param operations the inverse operations, last expand step first
 * @param script the dry-run script of those operations
 */
public record RollbackPlan(String migrationId, List<SchemaOperation> operations, String script) {
    /** Copies the operations. */
    public RollbackPlan {
        operations = List.copyOf(operations);
    }
}
