package dev.flagway.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flavour and version of a MySQL-family server, detected once from a connection, and the
 * lock-safe capabilities and diagnostic sources that follow from them. Flagway supports MySQL 8.0+
 * and MariaDB 10.6+.
 */
public final class MySqlServer {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlServer.class);
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final String MINIMUMS = "Flagway needs MySQL 8.0+ or MariaDB 10.6+";
    /** MySQL 8.0.29+ refuses INSTANT changes once a table has this many row versions. */
    private static final int MYSQL_ROW_VERSION_LIMIT = 64;

    /** Which server family. */
    public enum Flavour {
        /** Oracle MySQL (and Percona Server). */
        MYSQL,
        /** MariaDB. */
        MARIADB
    }

    private final Flavour flavour;
    private final int major;
    private final int minor;
    private final int patch;
    private final Instrumentation instrumentation;

    private MySqlServer(Flavour flavour, int major, int minor, int patch, Instrumentation instrumentation) {
        this.flavour = flavour;
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.instrumentation = instrumentation;
    }

    /**
     * What the server exposes for diagnostics and instant DDL, read from its variables and plugins.
     *
     * @param performanceSchema whether {@code @@performance_schema} is on
     * @param metadataLockInstrument whether the {@code wait/lock/metadata/sql/mdl} instrument is enabled
     * @param metadataLockInfoPlugin whether MariaDB's {@code METADATA_LOCK_INFO} plugin is loaded
     * @param instantAlterAllowed MariaDB's {@code innodb_instant_alter_column_allowed}, or null elsewhere
     */
    record Instrumentation(boolean performanceSchema, boolean metadataLockInstrument, boolean metadataLockInfoPlugin,
            String instantAlterAllowed) {
        /** A server that exposes nothing beyond the information schema. */
        static final Instrumentation NONE = new Instrumentation(false, false, false, null);
    }

    /**
     * Detects the server behind {@code connection} with {@code SELECT VERSION(), @@version_comment},
     * its performance schema and plugins, and logs the capabilities chosen.
     *
     * @throws UnsupportedServerException when the server is not MySQL 8.0+ or MariaDB 10.6+
     */
    public static MySqlServer detect(Connection connection) throws SQLException {
        MySqlServer bare = identify(connection);
        boolean performanceSchema = queryBoolean(connection, "SELECT @@performance_schema");
        boolean mariadb = bare.flavour == Flavour.MARIADB;
        Instrumentation found = new Instrumentation(performanceSchema,
                performanceSchema && queryBoolean(connection, "SELECT COUNT(*) FROM performance_schema.setup_instruments"
                        + " WHERE NAME = 'wait/lock/metadata/sql/mdl' AND ENABLED = 'YES'"),
                mariadb && queryBoolean(connection, "SELECT COUNT(*) FROM information_schema.PLUGINS"
                        + " WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO' AND PLUGIN_STATUS = 'ACTIVE'"),
                mariadb ? queryString(connection, "SELECT @@innodb_instant_alter_column_allowed") : null);
        MySqlServer server = bare.with(found);
        LOG.info("Detected {}; capabilities: INSTANT add column {}, INSTANT drop column {}, ALTER ... WAIT {}, "
                + "replica status via {}, row-lock waits from {}, metadata locks from {}", server,
                yes(server.supportsInstantAddColumn()), yes(server.supportsInstantDropColumn()),
                yes(server.supportsAlterWait()), server.replicaStatusStatement(),
                server.rowLockWaitsVisible() ? server.rowLockWaitSource() : "nowhere (performance_schema is off)",
                server.metadataLockSource().description());
        if (server.metadataLockSource() == MetadataLockSource.PROCESSLIST) {
            LOG.warn("{}", MetadataLockSource.PROCESSLIST.limitation());
        }
        return server;
    }

    /**
     * Reads the flavour and version only, without logging: for servers Flagway only reads from, such
     * as replicas.
     *
     * @throws UnsupportedServerException when the server is not MySQL 8.0+ or MariaDB 10.6+
     */
    static MySqlServer identify(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), @@version_comment")) {
            rs.next();
            return parse(rs.getString(1), rs.getString(2));
        }
    }

    /**
     * Reads a {@code VERSION()} string and version comment, for a server that exposes no
     * performance schema or plugins.
     *
     * @throws UnsupportedServerException when they name no supported server
     */
    static MySqlServer parse(String version, String comment) {
        String text = (version + " " + (comment == null ? "" : comment)).toLowerCase(Locale.ROOT);
        Matcher m = VERSION.matcher(version == null ? "" : version);
        if (!m.find()) {
            throw new UnsupportedServerException("cannot read the server version from '" + version + "'; " + MINIMUMS);
        }
        Flavour flavour = text.contains("mariadb") ? Flavour.MARIADB : Flavour.MYSQL;
        MySqlServer server = new MySqlServer(flavour, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Instrumentation.NONE);
        boolean supported = flavour == Flavour.MARIADB ? server.atLeast(10, 6, 0) : server.atLeast(8, 0, 0);
        if (!supported) {
            throw new UnsupportedServerException(server + " is too old; " + MINIMUMS);
        }
        return server;
    }

    /** This server with the given instrumentation. */
    MySqlServer with(Instrumentation value) {
        return new MySqlServer(flavour, major, minor, patch, value);
    }

    /** The server family. */
    public Flavour flavour() {
        return flavour;
    }

    /** Whether this is MariaDB. */
    public boolean isMariaDb() {
        return flavour == Flavour.MARIADB;
    }

    /** Whether the version is at least {@code major.minor.patch}. */
    public boolean atLeast(int wantMajor, int wantMinor, int wantPatch) {
        if (major != wantMajor) {
            return major > wantMajor;
        }
        if (minor != wantMinor) {
            return minor > wantMinor;
        }
        return patch >= wantPatch;
    }

    /**
     * {@code ALGORITHM=INSTANT} for ADD COLUMN: MySQL 8.0.12+; MariaDB 10.3+ unless
     * {@code innodb_instant_alter_column_allowed=never}.
     */
    public boolean supportsInstantAddColumn() {
        return isMariaDb() ? !"never".equalsIgnoreCase(instrumentation.instantAlterAllowed()) : atLeast(8, 0, 12);
    }

    /**
     * {@code ALGORITHM=INSTANT} for DROP COLUMN: MySQL 8.0.29+; MariaDB 10.4+ while
     * {@code innodb_instant_alter_column_allowed=add_drop_reorder}.
     */
    public boolean supportsInstantDropColumn() {
        return isMariaDb() ? "add_drop_reorder".equalsIgnoreCase(instrumentation.instantAlterAllowed())
                : atLeast(8, 0, 29);
    }

    /**
     * How many INSTANT changes a table may have accumulated before the server refuses more (MySQL
     * 8.0.29+ counts row versions in {@code INNODB_TABLES.TOTAL_ROW_VERSIONS}); 0 when unlimited.
     */
    public int instantRowVersionLimit() {
        return !isMariaDb() && atLeast(8, 0, 29) ? MYSQL_ROW_VERSION_LIMIT : 0;
    }

    /**
     * Whether a change that rebuilds a table with a FULLTEXT index can run in place (blocking writes,
     * {@code ALGORITHM=INPLACE, LOCK=SHARED}): MariaDB. MySQL 8 rebuilds such a table only by copying
     * it ("InnoDB presently supports one FULLTEXT index creation at a time. Try ALGORITHM=COPY").
     */
    public boolean rebuildsFulltextTablesInPlace() {
        return isMariaDb();
    }

    /** {@code ALTER TABLE ... WAIT n}: MariaDB only. */
    public boolean supportsAlterWait() {
        return isMariaDb();
    }

    /** {@code SHOW REPLICA STATUS}: MySQL 8.0.22+ (MariaDB and older MySQL use SHOW SLAVE STATUS). */
    public boolean supportsShowReplicaStatus() {
        return !isMariaDb() && atLeast(8, 0, 22);
    }

    /**
     * The statement that reads this server's replication status as a replica, one row per channel:
     * {@code SHOW REPLICA STATUS} on MySQL 8.0.22+, {@code SHOW SLAVE STATUS} on older MySQL, and on
     * MariaDB {@code SHOW ALL SLAVES STATUS} (SHOW SLAVE STATUS for every multi-source connection).
     */
    public String replicaStatusStatement() {
        if (isMariaDb()) {
            return "SHOW ALL SLAVES STATUS";
        }
        return supportsShowReplicaStatus() ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    /** Whether {@code @@performance_schema} is on. */
    public boolean performanceSchema() {
        return instrumentation.performanceSchema();
    }

    /**
     * Whether InnoDB row-lock waits can be listed with their blockers: always on MariaDB
     * ({@code information_schema.INNODB_LOCK_WAITS}), on MySQL 8 only with the performance schema
     * ({@code performance_schema.data_lock_waits}).
     */
    public boolean rowLockWaitsVisible() {
        return isMariaDb() || performanceSchema();
    }

    /** Where row-lock waits are read from. */
    String rowLockWaitSource() {
        return isMariaDb() ? "information_schema.INNODB_LOCK_WAITS" : "performance_schema.data_lock_waits";
    }

    /**
     * Where metadata-lock holders are read from: MariaDB's {@code METADATA_LOCK_INFO} when loaded,
     * else the performance schema when it is on and its metadata-lock instrument enabled, else
     * nowhere ({@link MetadataLockSource#PROCESSLIST}).
     */
    public MetadataLockSource metadataLockSource() {
        if (instrumentation.metadataLockInfoPlugin()) {
            return MetadataLockSource.METADATA_LOCK_INFO;
        }
        if (instrumentation.performanceSchema() && instrumentation.metadataLockInstrument()) {
            return MetadataLockSource.PERFORMANCE_SCHEMA;
        }
        return MetadataLockSource.PROCESSLIST;
    }

    @Override
    public String toString() {
        return (isMariaDb() ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        return Integer.parseInt(queryString(connection, sql)) > 0;
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String yes(boolean supported) {
        return supported ? "yes" : "no";
    }
}
