package dev.flagway.cli;

import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway kill PID --actor A --reason R}: ends one session that blocks others (PostgreSQL
 * {@code pg_terminate_backend}, MySQL/MariaDB {@code KILL CONNECTION}), after recording who asked and
 * why in the schema audit table ({@link JdbcAuditLog}). One session per call, never by default: the
 * actor and reason are required, and a session that blocks no one is refused unless {@code --force}.
 */
@Command(name = "kill", mixinStandardHelpOptions = true,
        description = {"Terminate ONE session that blocks others, audited with actor and reason.",
                "Its open transaction is rolled back. A session that blocks no one is refused unless --force."})
final class KillCommand extends DatabaseCommand {
    /** The audit action of a terminated session. */
    static final String ACTION = "kill-session";
    /** The migration id recorded when none is named. */
    static final String NO_MIGRATION = "-";

    @Parameters(paramLabel = "PID", description = "The session id (PostgreSQL backend pid, MySQL/MariaDB thread id).")
    long pid;

    @Option(names = "--actor", required = true, paramLabel = "NAME", description = "Who terminates it (audited).")
    String actor;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (audited).")
    String reason;

    @Option(names = "--migration", paramLabel = "MIGRATION",
            description = "The migration this serves, recorded with the audit event.")
    String migration;

    @Option(names = "--force", description = "Terminate the session even though it blocks no one now.")
    boolean force;

    @Mixin
    Format format;

    @Override
    int run(Database db) {
        if (actor.isBlank() || reason.isBlank()) {
            throw CliException.usage("--actor and --reason must not be blank: a terminated session is audited");
        }
        String migrationId = migration == null ? NO_MIGRATION : db.migration(migration).id();
        Optional<SessionInfo> victim = db.withConnection("reading the lock waits", c -> blocker(db.dialect().lockWaits(c)));
        if (victim.isEmpty() && !force) {
            throw CliException.usage("session " + pid + " blocks no session now; nothing terminated (flagway locks"
                    + " shows the blockers; --force terminates a session that blocks no one)");
        }
        String who = victim.map(SessionInfo::summary).orElse("session " + pid);
        new JdbcAuditLog(db.dataSource()).record(new AuditEvent(Instant.now(), migrationId, ACTION, actor,
                who + "; reason: " + reason));
        boolean ended = db.withConnection("terminating session " + pid, c -> terminate(db.dialect(), c, pid));
        if (!ended) {
            throw CliException.usage("no session " + pid + " to terminate (it ended already?)");
        }
        if (format.json()) {
            Map<String, Object> out = Json.object();
            out.put("terminated", pid);
            out.put("session", victim.map(LocksCommand::json).orElse(null));
            out.put("actor", actor);
            out.put("reason", reason);
            out.put("migration", migrationId);
            out().println(Json.render(out));
        } else {
            out().println("terminated " + who);
            out().println("audited as " + ACTION + " by " + actor + ": " + reason);
        }
        return ExitCode.OK;
    }

    /** The session {@link #pid} as one of the blockers of a waiting session, if it is one. */
    private Optional<SessionInfo> blocker(List<LockWait> waits) {
        return waits.stream().flatMap(w -> w.blockers().stream()).filter(s -> s.id() == pid).findFirst();
    }

    /** Ends one session with the dialect's own statement. */
    static boolean terminate(Dialect dialect, Connection c, long id) throws SQLException {
        if (dialect instanceof PostgresDialect pg) {
            return pg.terminate(c, id);
        }
        if (dialect instanceof MySqlDialect my) {
            return my.kill(c, id);
        }
        throw new CliException(ExitCode.USAGE, "kill is not supported on " + dialect.name());
    }
}
