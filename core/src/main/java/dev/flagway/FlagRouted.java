package dev.flagway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a repository method that reads: {@link dev.flagway.routing.DualWriteRepository} routes it through a
 * {@link dev.flagway.routing.FlagRoutedReader} to the legacy or the modern implementation by the request's stage.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FlagRouted {
    /**
     * Optional name of another method of the same interface, with the same parameter types and a
     * compatible return type, that the legacy implementation runs when the modern read fails. Empty
     * (the default) means the legacy implementation of this same method.
     */
    String fallback() default "";
}
