package dev.flagway.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How a command prints its answer: {@code table} for people (the default), {@code json} for machines
 * (one JSON document on stdout). Used as a picocli mixin.
 */
public final class Format {
    /** The output formats. */
    enum Kind {
        /** Compact text for people. */
        table,
        /** One JSON document. */
        json
    }

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "Output format: table (for people) or json (for machines); default: ${DEFAULT-VALUE}.")
    Kind kind = Kind.table;

    boolean json() {
        return kind == Kind.json;
    }

    /**
     * Columns aligned under their headers, two spaces apart; the last column is not padded.
     *
     * @param headers the column headers
     * @param rows the cells, one list per row, as many as headers
     */
    static String table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < widths.length - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }

    /** A duration in milliseconds as text for a table, {@code -} for none. */
    static String millis(java.time.Duration d) {
        return d == null ? "-" : d.toMillis() + " ms";
    }
}
