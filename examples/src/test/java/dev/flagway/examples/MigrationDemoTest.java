package dev.flagway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MigrationDemoTest {

    @Test
    void wholeMigrationKeepsEveryPromiseOnH2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = MigrationDemo.run(new String[] {"--users", "1000", "--phase-time", "300ms", "--business-cycle", "1s",
                "--blocker-time", "500ms"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report + err).isZero();
        assertThat(report).contains("All promises kept.").doesNotContain("BROKEN");
    }

    @Test
    void unknownOptionGivesOneClearLineAndExitCodeTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = MigrationDemo.run(new String[] {"--frobnicate"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("flagway demo: unknown option '--frobnicate'")
                .hasLineCount(1);
    }
}
