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
        List<SqlScript.Statement> statements = script.statements();
        List<SqlScript.Comment> comments = script.comments();
        int[] owner = new int[comments.size()];
        Arrays.fill(owner, -1);
        int before = -1;
        for (int c = 0; c < comments.size(); c++) {
            SqlScript.Comment comment = comments.get(c);
            while (before + 1 < statements.size() && statements.get(before + 1).start() < comment.start()) {
                before++;
            }
            if (before >= 0 && comment.line() <= statements.get(before).lastLine()) {
                owner[c] = before;
            }
        }
        int above = comments.size() - 1;
        for (int s = statements.size() - 1; s >= 0; s--) {
            SqlScript.Statement statement = statements.get(s);
            while (above >= 0 && comments.get(above).start() >= statement.start()) {
                above--;
            }
            int expectedLine = statement.line();
            for (int c = above; c >= 0 && owner[c] < 0; c--) {
                SqlScript.Comment comment = comments.get(c);
                if (comment.lastLine() != expectedLine && comment.lastLine() != expectedLine - 1) {
                    break;
                }
                owner[c] = s;
                expectedLine = comment.line();
            }
        }
        Waivers waivers = new Waivers();
        for (int c = 0; c < comments.size(); c++) {
            waivers.parse(comments.get(c), owner[c], file);
        }
        return waivers;
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
