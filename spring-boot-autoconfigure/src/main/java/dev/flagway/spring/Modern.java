package dev.flagway.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifies the implementation of a {@link FlagwayRepository} interface that reads and writes the new column: put it on the bean's class or on its {@code @Bean} method. Exactly one bean of
 * the interface must carry it. It is a Spring {@link Qualifier}, so {@code @Modern UserRepository} also
 * injects that implementation directly.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface Modern {
}
