package dev.flagway.liquibase;

import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.TableElement;
import org.jooq.impl.DSL;
import org.jooq.impl.QOM;
import org.jooq.impl.ParserException;

/** A column type written in a changelog ({@code varchar(320)}, {@code numeric(12,2)}) as a jOOQ data type. */
final class ColumnTypes {
    private ColumnTypes() {
    }

    static DataType<?> parse(String type) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("columnType is required");
        }
        if (type.contains(";") || type.contains("--") || type.contains("/*")) {
            throw new IllegalArgumentException("columnType '" + type + "' is not a SQL type");
        }
        try {
            Query query = DSL.using(SQLDialect.DEFAULT).parser().parseQuery("create table t (c " + type + ")");
            if (query instanceof QOM.CreateTable create && create.$tableElements().size() == 1) {
                TableElement element = create.$tableElements().get(0);
                if (element instanceof Field<?> field) {
                    return field.getDataType();
                }
            }
        } catch (ParserException e) {
            throw new IllegalArgumentException("columnType '" + type + "' is not a SQL type: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("columnType '" + type + "' is not one SQL type");
    }
}
