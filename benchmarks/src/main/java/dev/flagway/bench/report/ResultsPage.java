package dev.flagway.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Updates a results page with a run that measured only some items: the sections of the items it
 * measured are replaced, every other section (and the page's head, which describes the run those came
 * from) is kept as it was, so that a partial rerun never overwrites figures it did not measure.
 */
public final class ResultsPage {
    private static final Pattern SECTION = Pattern.compile("(?m)^## (\\d+)\\. ");

    private ResultsPage() {
    }

    /**
     * {@code page} with the sections of {@code measured} taken from {@code fresh} (a whole page written
     * from this run), in item order; sections only {@code fresh} has are added.
     */
    public static String merge(String page, String fresh, Set<Integer> measured) {
        Map<Integer, String> old = sections(page);
        Map<Integer, String> now = sections(fresh);
        StringBuilder merged = new StringBuilder(head(page));
        Map<Integer, String> all = new java.util.TreeMap<>(old);
        for (Map.Entry<Integer, String> e : now.entrySet()) {
            if (measured.contains(e.getKey()) || !all.containsKey(e.getKey())) {
                all.put(e.getKey(), e.getValue());
            }
        }
        all.values().forEach(merged::append);
        return merged.toString();
    }

    private static String head(String page) {
        Matcher m = SECTION.matcher(page);
        return m.find() ? page.substring(0, m.start()) : page;
    }

    private static Map<Integer, String> sections(String page) {
        Map<Integer, String> sections = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(page);
        int start = -1;
        int item = -1;
        while (m.find()) {
            if (start >= 0) {
                sections.put(item, page.substring(start, m.start()));
            }
            start = m.start();
            item = Integer.parseInt(m.group(1));
        }
        if (start >= 0) {
            sections.put(item, page.substring(start));
        }
        return sections;
    }
}
