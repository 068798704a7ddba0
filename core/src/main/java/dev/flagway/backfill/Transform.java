package dev.flagway.backfill;

import dev.flagway.Migration;
import dev.flagway.internal.Checks;
import java.util.function.Function;
import org.jooq.Field;

/**
 * How the new column's value is derived from the legacy one, for backfill, repair and verification:
 * either in Java (row by row, like the migration's own {@link Migration#transform()}) or as a SQL
 * expression (set-based, faster, the same on every row).
 */
public sealed interface Transform {
    /**
     * The migration's transform: its Java transform when one was given, else its declared SQL
     * expression ({@link Migration#transformSql()}), else the Java identity.
     */
    static Transform of(Migration migration) {
        if (!migration.hasJavaTransform() && migration.transformSql().isPresent()) {
            String expression = migration.transformSql().get();
            return new Sql(legacy -> org.jooq.impl.DSL.field(expression));
        }
        return new Java(migration.transform());
    }

    /**
     * A Java function from the legacy value (as the driver returns it) to the new value (bindable to
     * the new column); see {@link Migration#transform()} for the types.
     */
    static Transform java(Function<Object, Object> function) {
        return new Java(function);
    }

    /** A SQL expression computing the new value from the legacy column, e.g. {@code legacy -> DSL.lower(legacy.cast(String.class))}. */
    static Transform sql(Function<Field<Object>, Field<?>> expression) {
        return new Sql(expression);
    }

    /**
     * Whether a stored new value equals a derived one: numbers by numeric value (a BIGINT column
     * returns a Long where the transform may give an Integer), everything else by {@code equals}.
     */
    static boolean sameValue(Object stored, Object derived) {
        if (stored instanceof Number a && derived instanceof Number d) {
            return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(d.toString())) == 0;
        }
        return java.util.Objects.equals(stored, derived);
    }

    /**
     * A Java transform.
     *
     * @param function legacy value to new value
     */
    record Java(Function<Object, Object> function) implements Transform {
        /** Checks the function. */
        public Java {
            Checks.notNull("transform function", function);
        }
    }

    /**
     * A SQL transform.
     *
     * @param expression builds the new value's expression from the legacy column
     */
    record Sql(Function<Field<Object>, Field<?>> expression) implements Transform {
        /** Checks the expression. */
        public Sql {
            Checks.notNull("transform expression", expression);
        }

        /** The expression over {@code legacy}, typed as the new column. */
        @SuppressWarnings("unchecked")
        public Field<Object> over(Field<Object> legacy) {
            return (Field<Object>) Checks.notNull("transform expression result", expression.apply(legacy));
        }
    }
}
