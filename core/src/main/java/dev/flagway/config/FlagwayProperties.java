package dev.flagway.config;

import dev.flagway.Migration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Binds application properties under {@code flagway.} into {@link FlagwaySettings}. Keys are
 * kebab-case; keys that do not start with {@code flagway.} are ignored, so the whole application
 * configuration may be passed.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>value</th></tr>
 * <tr><td>{@code flagway.default-stage}</td><td>stage</td></tr>
 * <tr><td>{@code flagway.flag-error-log-interval}</td><td>duration</td></tr>
 * <tr><td>{@code flagway.shadow.threads}, {@code flagway.shadow.queue-capacity}</td><td>integer</td></tr>
 * <tr><td>{@code flagway.backfill.latency.enabled}</td><td>boolean</td></tr>
 * <tr><td>{@code flagway.backfill.latency.meter}</td><td>text</td></tr>
 * <tr><td>{@code flagway.provider.enabled}, {@code flagway.provider.create-tables}</td><td>boolean</td></tr>
 * <tr><td>{@code flagway.provider.table-prefix}</td><td>text</td></tr>
 * <tr><td>{@code flagway.provider.refresh-interval}</td><td>duration</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.flag} (default: the id), {@code .table}, {@code .key-column},
 *     {@code .legacy-column}, {@code .new-column} (these four required)</td><td>text</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.default-stage} (default: {@code flagway.default-stage})</td><td>stage</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.write-policy}</td><td>{@code repair} or {@code strict}</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.breaker.error-rate-threshold}, {@code .breaker.mismatch-rate-threshold}</td>
 *     <td>ratio in (0, 1]</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.breaker.p95-latency-threshold}, {@code .breaker.wait-in-open}
 *     (absent: open is latched until reset)</td><td>duration</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.breaker.window}</td><td>duration in whole seconds</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.breaker.p95-legacy-ratio-threshold}</td><td>number greater than 1</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.breaker.minimum-calls}, {@code .breaker.half-open-calls}</td><td>integer</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.shadow.sample-rate}, {@code .shadow.live-sample-rate}</td>
 *     <td>share in [0, 1]</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.shadow.timeout}</td><td>duration</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.shadow.deterministic}</td><td>boolean</td></tr>
 * <tr><td>{@code flagway.migrations.<id>.shadow.comparator}</td><td>{@code equality} or {@code canonical-bytes}</td></tr>
 * </table>
 *
 * <p>Absent keys take the builders' defaults ({@link FlagwaySettings.Builder}, {@link ProviderSettings.Builder},
 * {@link Migration.Builder}, {@link dev.flagway.breaker.BreakerConfig.Builder},
 * {@link dev.flagway.ShadowConfig.Builder}). Values are trimmed; an empty value is an error, never
 * taken as absent. Value forms:
 * <ul>
 * <li>duration: a whole number with a unit, {@code ns us ms s m h d} (e.g. {@code 250ms}, {@code 2s},
 *     {@code 7d}), or ISO-8601 (e.g. {@code PT2S});</li>
 * <li>ratio and share: a decimal ({@code 0.01}) or a percentage ({@code 1%}, {@code 2.5%});</li>
 * <li>boolean: {@code true} or {@code false}, ignoring case; anything else is an error, not false;</li>
 * <li>stage: {@code off}, {@code dual_write}, {@code shadow}, {@code live}, {@code ramp_down} or
 *     {@code complete}, ignoring case, {@code -} accepted for {@code _};</li>
 * <li>names ({@code write-policy}, {@code shadow.comparator}) ignore case;</li>
 * <li>table and columns: plain SQL identifiers, the table optionally {@code schema.table}; anything
 *     else is refused, so no configured name can carry SQL.</li>
 * </ul>
 *
 * <p>Every problem is collected and reported together in one {@link FlagwayConfigException}: bad
 * values (naming the key, the value and what was expected), missing required keys, invalid migration
 * ids, and unknown keys under {@code flagway.}, with the nearest known key suggested when one is close.
 *
 * <p>A migration's transform is code and cannot come from properties: bound migrations use the
 * identity. Applications derive the migration with its transform:
 * <pre>{@code
 * Migration usersEmail = settings.migration("users-email").orElseThrow().toBuilder()
 *         .transform(email -> email == null ? null : email.toString().trim().toLowerCase())
 *         .build();
 * }</pre>
 *
 * <p>{@link FlagwaySettings#migrations()} lists bound migrations in the order their first key
 * appears: the map's iteration order for {@link #bind(Map)}; for {@link #bind(Properties)}, which
 * keeps no order, sorted by key.
 */
public final class FlagwayProperties {
    private FlagwayProperties() {
    }

    /**
     * Every property this class binds, described (value type, default, meaning): the source of
     * generated documentation and IDE metadata. Shared properties first, then one migration's.
     */
    public static List<PropertyDescription> catalogue() {
        return PropertyCatalogue.describe();
    }

    /**
     * Binds {@code properties}, including their defaults; entries whose key or value is not a string are ignored.
     *
     * @throws FlagwayConfigException listing every problem
     */
    public static FlagwaySettings bind(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        Map<String, String> sorted = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> sorted.put(key, properties.getProperty(key)));
        return bind(sorted);
    }

    /**
     * Binds {@code properties}, in the map's iteration order; a null value counts as empty.
     *
     * @throws FlagwayConfigException listing every problem
     */
    public static FlagwaySettings bind(Map<String, String> properties) {
        return PropertyBinder.bind(Objects.requireNonNull(properties, "properties").entrySet());
    }
}
