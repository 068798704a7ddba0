package dev.flagway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, {@code mvn -ntp -pl examples -am compile exec:java}, runs
 * {@link MigrationDemo#main} without arguments, which calls {@link MigrationDemo#run} — the entry
 * point the other tests exercise. This pins that chain so it cannot drift apart.
 */
class ReadmeCommandTest {

    @Test
    void readmeRunsTheProgramTheTestsRun() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);

        assertThat(readme).contains("mvn -ntp -pl examples -am compile exec:java");
        assertThat(pom).contains("<exec.mainClass>" + MigrationDemo.class.getName() + "</exec.mainClass>")
                .contains("<exec.skip>false</exec.skip>").doesNotContain("exec.args");
    }
}
