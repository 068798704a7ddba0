package dev.flagway.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a repository interface whose {@link dev.flagway.FlagRouted @FlagRouted} and
 * {@link dev.flagway.DualWrite @DualWrite} methods Flagway routes for a migration. The Spring Boot
 * starter finds such interfaces in the application's packages (those of its
 * {@code @SpringBootApplication}), takes the implementation marked {@link Legacy @Legacy} and the one
 * marked {@link Modern @Modern} from the context, and registers the routing proxy as the
 * {@code @Primary} bean of the interface, so that {@code @Autowired UserRepository users} gets it.
 *
 * <pre>{@code
 * @FlagwayRepository(migration = "users-email")
 * public interface UserRepository {
 *     @FlagRouted
 *     String email(@TargetingKey long id);
 *
 *     @DualWrite
 *     void updateEmail(@TargetingKey @RowKey long id, String email);
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface FlagwayRepository {
    /** The id of the migration whose stage routes the calls: a key of {@code flagway.migrations.<id>.*}. */
    String migration();

    /**
     * Whether methods without a {@link dev.flagway.TargetingKey @TargetingKey} parameter take the key from
     * {@link dev.flagway.TargetingContext} (see {@code DualWriteRepository.Builder.targetingKeyFromContext()}).
     */
    boolean targetingKeyFromContext() default false;
}
