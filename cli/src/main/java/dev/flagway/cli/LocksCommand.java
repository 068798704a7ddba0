package dev.flagway.cli;

import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import dev.flagway.internal.Identifiers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Name;
import org.jooq.impl.DSL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flagway locks}: who blocks whom now, from the dialect's lock diagnostics (PostgreSQL's
 * {@code pg_locks}/{@code pg_blocking_pids}; MySQL 8's and MariaDB's InnoDB and metadata-lock
 * tables), with each session's lock wait and transaction age; with {@code --table}, the sessions
 * holding or queued for locks on that table.
 */
@Command(name = "locks", mixinStandardHelpOptions = true,
        description = {"Who blocks whom now, with lock wait and transaction age.",
                "With --table, the sessions holding or waiting for locks on that table."})
final class LocksCommand extends DatabaseCommand {
    private static final int QUERY_WIDTH = 80;

    @Option(names = "--table", paramLabel = "TABLE", description = "Only the sessions holding or queued for locks on"
            + " TABLE (table or schema.table).")
    String table;

    @Mixin
    Format format;

    @Override
    int run(Database db) {
        if (table != null) {
            Name name;
            try {
                name = DSL.name(Identifiers.requireTableName("--table", table));
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
            List<SessionInfo> holders = db.withConnection("reading the locks on " + table,
                    c -> db.dialect().lockHolders(c, name));
            if (format.json()) {
                Map<String, Object> out = Json.object();
                out.put("server", db.server().cliName());
                out.put("table", table);
                out.put("sessions", holders.stream().map(LocksCommand::json).toList());
                out().println(Json.render(out));
            } else if (holders.isEmpty()) {
                out().println("no session holds or waits for a lock on " + table);
            } else {
                out().print(table(holders.stream().map(s -> Map.entry(s, s.lockWait() != null ? "waiting" : "holder"))
                        .toList()));
            }
            return ExitCode.OK;
        }
        List<LockWait> waits = db.withConnection("reading the lock waits", c -> db.dialect().lockWaits(c));
        if (format.json()) {
            Map<String, Object> out = Json.object();
            out.put("server", db.server().cliName());
            out.put("waits", waits.stream().map(w -> {
                Map<String, Object> m = Json.object();
                m.put("blocked", json(w.blocked()));
                m.put("blockers", w.blockers().stream().map(LocksCommand::json).toList());
                return m;
            }).toList());
            out().println(Json.render(out));
        } else if (waits.isEmpty()) {
            out().println("no session waits for a lock");
        } else {
            Map<Long, Map.Entry<SessionInfo, String>> sessions = new LinkedHashMap<>();
            List<Long> waiting = waits.stream().map(w -> w.blocked().id()).toList();
            for (LockWait w : waits) {
                for (SessionInfo b : w.blockers()) {
                    sessions.putIfAbsent(b.id(), Map.entry(b, waiting.contains(b.id()) ? "blocker, waiting" : "blocker"));
                }
            }
            for (LockWait w : waits) {
                sessions.putIfAbsent(w.blocked().id(), Map.entry(w.blocked(), "waiting"));
            }
            out().print(table(new ArrayList<>(sessions.values())));
        }
        return ExitCode.OK;
    }

    private static String table(List<Map.Entry<SessionInfo, String>> sessions) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<SessionInfo, String> e : sessions) {
            SessionInfo s = e.getKey();
            rows.add(List.of(Long.toString(s.id()), e.getValue(), s.blockedBy().isEmpty() ? "-"
                    : s.blockedBy().stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("-"),
                    Format.millis(s.lockWait()), Format.millis(s.transactionAge()), dash(s.state()), dash(s.lockMode()),
                    dash(s.applicationName()), query(s.query())));
        }
        return Format.table(List.of("PID", "ROLE", "BLOCKED BY", "WAITING", "TXN AGE", "STATE", "LOCK", "APPLICATION",
                "QUERY"), rows);
    }

    static Map<String, Object> json(SessionInfo s) {
        Map<String, Object> out = Json.object();
        out.put("id", s.id());
        out.put("applicationName", s.applicationName());
        out.put("state", s.state());
        out.put("query", s.query());
        out.put("lockMode", s.lockMode());
        out.put("transactionAgeMillis", s.transactionAge());
        out.put("lockWaitMillis", s.lockWait());
        out.put("blockedBy", s.blockedBy());
        return out;
    }

    private static String dash(String s) {
        return s == null || s.isBlank() ? "-" : s.strip();
    }

    private static String query(String q) {
        if (q == null || q.isBlank()) {
            return "-";
        }
        String one = q.strip().replaceAll("\\s+", " ");
        return one.length() <= QUERY_WIDTH ? one : one.substring(0, QUERY_WIDTH - 3) + "...";
    }
}
