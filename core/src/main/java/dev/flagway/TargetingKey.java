package dev.flagway;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter whose value ({@code String.valueOf}) is the OpenFeature targeting key of the
 * call, so that percentage rollouts keep each user on one path. Without it the key comes from
 * {@link TargetingContext}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface TargetingKey {
}
