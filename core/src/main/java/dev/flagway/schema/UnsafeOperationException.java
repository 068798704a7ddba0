package dev.flagway.schema;

import dev.flagway.FlagwayException;
import java.util.List;
import java.util.stream.Collectors;

/** Thrown before anything runs when the linter refuses requests; the message lists every finding. */
public final class UnsafeOperationException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    private final transient List<LintFinding> findings;

    /** An exception for the given findings (at least one). */
    public UnsafeOperationException(List<LintFinding> findings) {
        super("refused " + findings.size() + " unsafe schema request(s):\n  - "
                + findings.stream().map(LintFinding::message).collect(Collectors.joining("\n  - ")));
        this.findings = List.copyOf(findings);
    }

    /** The refused requests. */
    public List<LintFinding> findings() {
        return findings;
    }
}
