package dev.flagway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a repository method that writes: {@link dev.flagway.routing.DualWriteRepository} calls the legacy
 * implementation and then, from {@link Stage#DUAL_WRITE} on, the modern one under a savepoint of the
 * same transaction. The row key for repair comes from a {@link RowKey} parameter or from a key
 * extractor registered when wrapping.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DualWrite {
}
