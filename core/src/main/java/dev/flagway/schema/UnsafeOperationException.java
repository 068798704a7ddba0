package dev.flagway.schema;

import dev.flagway.FlagwayException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown before anything runs when schema requests are unsafe, whatever the server: by the linter,
 * whose message lists every finding, or by a dialect that refuses one request while it plans it from
 * what it finds on the server (e.g. a table copy on MySQL), whose message is that finding's.
 */
public final class UnsafeOperationException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    private final transient List<LintFinding> findings;

    /** An exception for the given findings (at least one). */
    public UnsafeOperationException(List<LintFinding> findings) {
        super("refused " + findings.size() + " unsafe schema request(s):\n  - "
                + findings.stream().map(LintFinding::message).collect(Collectors.joining("\n  - ")));
        this.findings = List.copyOf(findings);
    }

    /** An exception for one request a dialect refuses while planning it. */
    public UnsafeOperationException(LintFinding finding) {
        super("refused " + finding.message());
        this.findings = List.of(finding);
    }

    /** The refused requests. */
    public List<LintFinding> findings() {
        return findings;
    }
}
