package dev.flagway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggesterTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "'', '', 0",
            "abc, '', 3",
            "kitten, sitting, 3",
            "threshold, treshold, 1",
            "key-column, keycolumn, 1",
            "flaw, lawn, 2"})
    void distanceIsTheLevenshteinDistance(String a, String b, int distance) {
        assertThat(KeySuggester.distance(a, b)).isEqualTo(distance);
        assertThat(KeySuggester.distance(b, a)).isEqualTo(distance);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "flagway.m.x.tabel, flagway.m.x.table",
            "flagway.m.x.flg, flagway.m.x.flag"})
    void closeKeyIsSuggested(String unknown, String expected) {
        assertThat(KeySuggester.nearest(unknown, List.of("flagway.m.x.flag", "flagway.m.x.table"))).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"flagway.m.x.colour", "flagway.m.x.zz", "other"})
    void farKeyIsNotSuggestedHoweverLongTheSharedPrefix(String unknown) {
        assertThat(KeySuggester.nearest(unknown, List.of("flagway.m.x.flag", "flagway.m.x.table"))).isEmpty();
    }
}
