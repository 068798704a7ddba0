package dev.flagway.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code flagway:allow RULE reason} comments of a script and the statement each belongs to: a
 * comment inside a statement or after it on its last line belongs to it; otherwise a comment belongs
 * to the statement right below it, through any comments in between but no blank line. A waiver
 * without a known, waivable rule or without a reason is an {@link LintRule#INVALID_WAIVER} finding.
 */
final class Waivers {
    private static final Pattern WAIVER = Pattern.compile("(?is)flagway:allow(?:\\s+(\\S+))?(?:\\s+(.*))?");

    /** A well-formed waiver comment. */
    record Waiver(int line, LintRule rule, String reason) {
    }

    private final Map<Integer, List<Waiver>> byStatement = new HashMap<>();
    private final List<SqlFinding> invalid = new ArrayList<>();
    private final List<Waiver> unattached = new ArrayList<>();

    private Waivers() {
    }

    static Waivers of(SqlScript script, String file) {
        Waivers waivers = new Waivers();
        List<SqlScript.Statement> statements = script.statements();
        List<SqlScript.Comment> comments = script.comments();
        int[] owner = new int[comments.size()];
        Arrays.fill(owner, -1);
        for (int c = 0; c < comments.size(); c++) {
            owner[c] = enclosingOrTrailing(comments.get(c), statements);
        }
        for (int s = statements.size() - 1; s >= 0; s--) {
            SqlScript.Statement statement = statements.get(s);
            int expectedLine = statement.line();
            for (int c = comments.size() - 1; c >= 0; c--) {
                SqlScript.Comment comment = comments.get(c);
                if (comment.start() >= statement.start()) {
                    continue;
                }
                boolean adjacent = comment.lastLine() == expectedLine || comment.lastLine() == expectedLine - 1;
                if (owner[c] >= 0 || !adjacent) {
                    break;
                }
                owner[c] = s;
                expectedLine = comment.line();
            }
        }
        for (int c = 0; c < comments.size(); c++) {
            waivers.parse(comments.get(c), owner[c], file);
        }
        return waivers;
    }

    /** The statement a comment is inside of or trails on the statement's last line, or -1. */
    private static int enclosingOrTrailing(SqlScript.Comment comment, List<SqlScript.Statement> statements) {
        int owner = -1;
        for (int s = 0; s < statements.size(); s++) {
            SqlScript.Statement statement = statements.get(s);
            if (statement.start() < comment.start() && comment.line() <= statement.lastLine()) {
                owner = s;
            }
        }
        return owner;
    }

    private void parse(SqlScript.Comment comment, int statement, String file) {
        Matcher matcher = WAIVER.matcher(comment.text());
        if (!matcher.matches()) {
            return;
        }
        String ruleName = matcher.group(1);
        String reason = matcher.group(2) == null ? "" : matcher.group(2).replaceAll("\\s+", " ").trim();
        LintRule rule = ruleName == null ? null : Arrays.stream(LintRule.values())
                .filter(r -> r.name().equalsIgnoreCase(ruleName)).findFirst().orElse(null);
        String problem = rule == null
                ? (ruleName == null ? "the waiver names no rule" : "unknown rule '" + ruleName + "'")
                        + "; waivable rules: " + Arrays.stream(LintRule.values()).filter(LintRule::waivable)
                                .map(Enum::name).collect(Collectors.joining(", "))
                : !rule.waivable() ? rule + " cannot be waived"
                : reason.isEmpty() ? "the waiver of " + rule + " gives no reason" : null;
        if (problem != null) {
            invalid.add(new SqlFinding(file, comment.line(), LintRule.INVALID_WAIVER, problem,
                    comment.text().replaceAll("\\s+", " ")));
        } else if (statement < 0) {
            unattached.add(new Waiver(comment.line(), rule, reason));
        } else {
            byStatement.computeIfAbsent(statement, s -> new ArrayList<>()).add(new Waiver(comment.line(), rule, reason));
        }
    }

    /** The waivers of statement {@code index} (from 0), in file order. */
    List<Waiver> of(int index) {
        return byStatement.getOrDefault(index, List.of());
    }

    /** The malformed waivers, as findings that fail the file. */
    List<SqlFinding> invalid() {
        return invalid;
    }

    /** The well-formed waivers that belong to no statement. */
    List<Waiver> unattached() {
        return unattached;
    }
}
