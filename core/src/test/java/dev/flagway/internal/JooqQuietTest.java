package dev.flagway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * jOOQ logs its banner and a tip of the day the first time it renders SQL in a JVM; each check runs in
 * a JVM of its own, logging at INFO, so that no earlier test has rendered SQL already.
 */
class JooqQuietTest {

    @Test
    void aContextFlagwayCreatesKeepsJooqsBannerAndTipOutOfTheLog() throws Exception {
        String log = renderInFreshJvm("flagway");

        assertThat(log).contains("rendered: select 1").doesNotContain("Thank you for using jOOQ")
                .doesNotContain("tip of the day");
    }

    @Test
    void withoutFlagwayTheSameRenderingLogsThem() throws Exception {
        String log = renderInFreshJvm("plain");

        assertThat(log).contains("rendered: select 1").contains("Thank you for using jOOQ")
                .contains("tip of the day");
    }

    @Test
    void anApplicationsOwnChoiceStands() throws Exception {
        String log = renderInFreshJvm("flagway", "-Dorg.jooq.no-logo=false", "-Dorg.jooq.no-tips=false");

        assertThat(log).contains("Thank you for using jOOQ").contains("tip of the day");
    }

    private static String renderInFreshJvm(String how, String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
        command.addAll(List.of(properties));
        command.addAll(List.of(Render.class.getName(), how));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(log).isZero();
        return log;
    }

    /** Renders one statement, through Flagway's factory or straight through jOOQ. */
    static final class Render {
        public static void main(String[] args) {
            String sql = ("flagway".equals(args[0]) ? ServerDialect.using(SQLDialect.H2) : DSL.using(SQLDialect.H2))
                    .render(DSL.selectOne());
            System.out.println("rendered: " + sql);
        }
    }
}
