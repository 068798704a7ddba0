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
 * lock-safe capabilities that follow from them. Flagway supports MySQL 8.0+ and MariaDB 10.6+.
 */
public final class MySqlServer {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlServer.class);
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

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

    private MySqlServer(Flavour flavour, int major, int minor, int patch) {
        this.flavour = flavour;
        this.major = major;
        this.minor = minor;
        this.patch = patch;
    }

    /**
     * Detects the server behind {@code connection} with {@code SELECT VERSION(), @@version_comment}
     * and logs the capabilities chosen.
     *
     * @throws UnsupportedServerException when the server is not MySQL 8.0+ or MariaDB 10.6+
     */
    public static MySqlServer detect(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), @@version_comment")) {
            rs.next();
            MySqlServer server = parse(rs.getString(1), rs.getString(2));
            LOG.info("Detected {}; capabilities: ALGORITHM=INSTANT add column {}, ALTER ... WAIT {}, "
                    + "SHOW REPLICA STATUS {}", server, yes(server.supportsInstantAddColumn()),
                    yes(server.supportsAlterWait()), yes(server.supportsShowReplicaStatus()));
            return server;
        }
    }

    /**
     * Reads a {@code VERSION()} string and version comment.
     *
     * @throws UnsupportedServerException when they name no supported server
     */
    static MySqlServer parse(String version, String comment) {
        String text = (version + " " + (comment == null ? "" : comment)).toLowerCase(Locale.ROOT);
        Matcher m = VERSION.matcher(version == null ? "" : version);
        if (!m.find()) {
            throw new UnsupportedServerException("cannot read the server version from '" + version
                    + "'; Flagway needs MySQL 8.0+ or MariaDB 10.6+");
        }
        Flavour flavour = text.contains("mariadb") ? Flavour.MARIADB : Flavour.MYSQL;
        MySqlServer server = new MySqlServer(flavour, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
        boolean supported = flavour == Flavour.MARIADB ? server.atLeast(10, 6, 0) : server.atLeast(8, 0, 0);
        if (!supported) {
            throw new UnsupportedServerException(server + " is too old; Flagway needs MySQL 8.0+ or MariaDB 10.6+");
        }
        return server;
    }

    /** The server family. */
    public Flavour flavour() {
        return flavour;
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

    /** {@code ALGORITHM=INSTANT} for ADD COLUMN: MySQL 8.0.12+, MariaDB 10.3+. */
    public boolean supportsInstantAddColumn() {
        return flavour == Flavour.MARIADB || atLeast(8, 0, 12);
    }

    /** {@code ALTER TABLE ... WAIT n}: MariaDB only. */
    public boolean supportsAlterWait() {
        return flavour == Flavour.MARIADB;
    }

    /** {@code SHOW REPLICA STATUS}: MySQL 8.0.22+ (MariaDB and older MySQL use SHOW SLAVE STATUS). */
    public boolean supportsShowReplicaStatus() {
        return flavour == Flavour.MYSQL && atLeast(8, 0, 22);
    }

    @Override
    public String toString() {
        return (flavour == Flavour.MARIADB ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }

    private static String yes(boolean supported) {
        return supported ? "yes" : "no";
    }
}
