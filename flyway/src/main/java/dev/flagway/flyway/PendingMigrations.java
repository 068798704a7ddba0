package dev.flagway.flyway;

import dev.flagway.internal.ServerDialect;
import dev.flagway.schema.ServerKind;
import dev.flagway.schema.SqlLintReport;
import dev.flagway.schema.SqlLinter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The migrations a {@code migrate} is about to run, as Flyway's own {@code info} lists them. */
final class PendingMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(PendingMigrations.class);

    private final Configuration configuration;
    private final List<MigrationInfo> pending;

    private PendingMigrations(Configuration configuration, List<MigrationInfo> pending) {
        this.configuration = configuration;
        this.pending = pending;
    }

    static PendingMigrations of(Configuration configuration) {
        return new PendingMigrations(configuration, Arrays.asList(new Flyway(configuration).info().pending()));
    }

    static boolean isSql(MigrationInfo info) {
        return info.getType() == CoreMigrationType.SQL;
    }

    /**
     * Lints every pending SQL migration for the server behind {@code connection}.
     *
     * @throws FlywayException in {@link LintMode#FAIL} when a finding is not waived, with every report
     */
    void lint(Connection connection, LintMode mode) throws SQLException {
        SqlLinter linter = SqlLinter.forServer(ServerKind.of(ServerDialect.of(connection)));
        List<SqlLintReport> failing = new ArrayList<>();
        for (MigrationInfo info : pending) {
            if (!isSql(info)) {
                continue;
            }
            SqlLintReport report = linter.lint(info.getScript(), content(info));
            if (!report.passes()) {
                failing.add(report);
            } else if (!report.waivers().isEmpty() || !report.notes().isEmpty()) {
                LOG.info("Flagway lint:\n{}", report.render());
            }
        }
        if (failing.isEmpty()) {
            return;
        }
        String rendered = String.join("\n", failing.stream().map(SqlLintReport::render).toList());
        if (mode == LintMode.FAIL) {
            throw new FlywayException("Flagway lint refused " + failing.size() + " pending SQL migration"
                    + (failing.size() == 1 ? "" : "s") + " (nothing was migrated); fix them, or waive a finding"
                    + " with a comment '-- flagway:allow RULE reason':\n" + rendered);
        }
        LOG.warn("Flagway lint found unsafe statements in pending SQL migrations:\n{}", rendered);
    }

    /** The pending {@link FlagwayJavaMigration}s. */
    List<FlagwayJavaMigration> flagwayMigrations() {
        return pending.stream().filter(i -> i.getType() == CoreMigrationType.JDBC)
                .map(i -> javaMigration(configuration, i.getScript())).filter(FlagwayJavaMigration.class::isInstance)
                .map(FlagwayJavaMigration.class::cast).toList();
    }

    /**
     * The Java migration of class {@code className}: the instance the configuration was given, else
     * a new one as Flyway's scanner makes it (no-argument constructor); null when it is not a
     * Flagway migration or cannot be made.
     */
    static Object javaMigration(Configuration configuration, String className) {
        for (JavaMigration m : configuration.getJavaMigrations()) {
            if (m.getClass().getName().equals(className)) {
                return m;
            }
        }
        try {
            Class<?> type = Class.forName(className, false, configuration.getClassLoader());
            if (!FlagwayJavaMigration.class.isAssignableFrom(type)
                    && !FlagwayContractMigration.class.isAssignableFrom(type)) {
                return null;
            }
            return type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException e) {
            LOG.debug("cannot make Java migration {}: {}", className, e.toString());
            return null;
        }
    }

    private String content(MigrationInfo info) {
        try {
            String physical = info.getPhysicalLocation();
            if (physical != null && !physical.isEmpty() && Files.isRegularFile(Path.of(physical))) {
                return Files.readString(Path.of(physical), configuration.getEncoding());
            }
            for (Location location : configuration.getLocations()) {
                String path = location.getPath() + "/" + info.getScript();
                if (location.isClassPath()) {
                    try (InputStream in = configuration.getClassLoader().getResourceAsStream(path)) {
                        if (in != null) {
                            return new String(in.readAllBytes(), configuration.getEncoding());
                        }
                    }
                } else if (location.isFileSystem() && Files.isRegularFile(Path.of(path))) {
                    return Files.readString(Path.of(path), configuration.getEncoding());
                }
            }
        } catch (IOException e) {
            throw new FlywayException("Flagway cannot read SQL migration " + info.getScript() + " to lint it: "
                    + e.getMessage(), e);
        }
        throw new FlywayException("Flagway cannot find SQL migration " + info.getScript() + " to lint it in "
                + Objects.toString(Arrays.toString(configuration.getLocations())));
    }
}
