package dev.flagway.examples;

import dev.flagway.routing.DualWriteRepository;
import dev.flagway.FallbackListener;
import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.FlagwaySettings;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.openfeature.FlagwayProvider;
import dev.flagway.openfeature.FlagwayTables;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * One instance of the demo application, wired the way the README shows: flags from the database
 * through {@link FlagwayProvider}, a {@link Flagway} bound from {@code application.properties} whose
 * breaker disables the flag fleet-wide through the provider, and the {@link UserRepository} wrapped
 * around its legacy and modern implementations. The demo runs two of them on one database.
 */
final class AppInstance implements AutoCloseable {
    /** The migration's id in {@code application.properties}. */
    static final String MIGRATION = "users-email";
    /** How often each instance's provider reloads the flags (the provider's default is 1 s). */
    static final Duration FLAG_REFRESH = Duration.ofMillis(200);

    private final String name;
    private final FlagwayProvider provider;
    private final Client flags;
    private final Flagway flagway;
    private final UserRepository users;

    private AppInstance(String name, FlagwayProvider provider, Client flags, Flagway flagway, UserRepository users) {
        this.name = name;
        this.provider = provider;
        this.flags = flags;
        this.flagway = flagway;
        this.users = users;
    }

    /**
     * Starts an instance.
     *
     * @param name the instance's name, unique in this JVM (it names its OpenFeature domain)
     * @param dataSource the instance's connection pool
     * @param properties the application's properties ({@code flagway.*} keys among them)
     * @param flagTables where the provider keeps the flags
     * @param logs where failed modern writes and bad rows are recorded
     * @param modernFault makes the modern implementation fail while it answers true
     * @param meters where Flagway's meters go
     * @param fallbacks told of every fallback to the legacy column
     */
    static AppInstance start(String name, DataSource dataSource, Properties properties, FlagwayTables flagTables,
                             Logs logs, BooleanSupplier modernFault, MeterRegistry meters,
                             FallbackListener fallbacks) throws Exception {
        FlagwayProvider provider = FlagwayProvider.builder(dataSource)
                .tables(flagTables)
                .refreshInterval(FLAG_REFRESH)
                .build();
        OpenFeatureAPI.getInstance().setProviderAndWait(name, provider);
        Client flags = OpenFeatureAPI.getInstance().getClient(name);

        DataSourceTransactionRunner transactions = new DataSourceTransactionRunner(dataSource);
        FlagwaySettings settings = FlagwayProperties.bind(properties);
        Flagway flagway = Flagway.builder()
                .client(flags)
                .settings(settings)
                                .transactionRunner(transactions)
                .repairLog(logs.repairs())
                .badRowLog(logs.badRows())
                .flagStateStore(provider.flagStateStore())   // a trip here disables the flag for every instance
                .fallbackListener(fallbacks)
                .meterRegistry(meters)
                .build();

        String table = flagway.migration(MIGRATION).migration().table();
        UserRepository users = DualWriteRepository.of(UserRepository.class)
                .legacy(JdbcUserRepository.legacy(transactions.dataSource(), table))
                .modern(JdbcUserRepository.modern(transactions.dataSource(), table, modernFault))
                .migration(flagway.migration(MIGRATION))
                .wrap();
        return new AppInstance(name, provider, flags, flagway, users);
    }

    /**
     * Where the instances record failed modern writes and read the keys pinned to the legacy column.
     *
     * @param repairs the repair log
     * @param badRows the backfill's bad rows
     */
    record Logs(RepairLog repairs, BadRowLog badRows) {
    }

    /** The application's {@code application.properties}, with the demo's table. */
    static Properties properties(String table) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = AppInstance.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IOException("application.properties is missing from the classpath");
            }
            properties.load(in);
        }
        properties.setProperty("flagway.migrations." + AppInstance.MIGRATION + ".table", table);
        return properties;
    }

    /** The wrapped repository the application's requests go through. */
    UserRepository users() {
        return users;
    }

    /** The instance's Flagway, from which the migration's lifecycle is made. */
    Flagway flagway() {
        return flagway;
    }

    /** The running migration: its breaker and the stage each user is in. */
    MigrationRuntime migration() {
        return flagway.migration(MIGRATION);
    }

    /** The provider: its admin API is what an operator uses. */
    FlagwayProvider provider() {
        return provider;
    }

    /**
     * Waits until this instance's provider serves version {@code version} of the migration's flag (or a later one).
     *
     * @throws IllegalStateException when it does not within five refresh intervals and a second
     */
    void awaitFlagVersion(long version) throws InterruptedException {
        long deadline = System.nanoTime() + FLAG_REFRESH.multipliedBy(5).plusSeconds(1).toNanos();
        String flagKey = migration().migration().flagKey();
        while (true) {
            Long served = flags.getStringDetails(flagKey, "off", new ImmutableContext("version-probe"))
                    .getFlagMetadata().getLong("version");
            if (served != null && served >= version) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance " + name + " still serves version " + served + " of flag '"
                        + flagKey + "', not " + version);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        flagway.close();
        provider.shutdown();
    }
}
