package dev.flagway.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.mariadb.jdbc.Driver;
import org.springframework.boot.SpringApplication;
import org.springframework.core.SpringVersion;

/**
 * This module is built and tested against the library versions a Spring Boot application resolves,
 * not the newer ones the rest of Flagway pins: the version of each jar on the test class path is the
 * one spring-boot-dependencies (of the Spring Boot on the class path) manages.
 */
class BootManagedVersionsTest {
    @Test
    void librariesFlagwayPinsComeInTheVersionsSpringBootManages() throws IOException, URISyntaxException {
        Map<String, String> managed = managedVersions();
        Map<Class<?>, String> property = Map.of(
                MeterRegistry.class, "micrometer.version",
                DSLContext.class, "jooq.version",
                HikariDataSource.class, "hikaricp.version",
                Caffeine.class, "caffeine.version",
                org.slf4j.Logger.class, "slf4j.version",
                org.h2.Driver.class, "h2.version",
                org.postgresql.Driver.class, "postgresql.version",
                Driver.class, "mariadb.version",
                TestInfo.class, "junit-jupiter.version",
                SpringVersion.class, "spring-framework.version");
        property.forEach((type, key) -> assertThat(jarVersion(type)).as(type.getName() + " (" + key + ")")
                .isEqualTo(managed.get(key)));
    }

    /** The properties of the spring-boot-dependencies POM that Maven resolved next to the spring-boot jar. */
    private static Map<String, String> managedVersions() throws IOException, URISyntaxException {
        Path bootJar = jar(SpringApplication.class);
        String version = bootJar.getParent().getFileName().toString();
        Path bom = bootJar.getParent().getParent().getParent()
                .resolve("spring-boot-dependencies").resolve(version).resolve("spring-boot-dependencies-" + version + ".pom");
        Matcher m = Pattern.compile("<([a-z0-9.-]+\\.version)>([^<]+)</").matcher(Files.readString(bom));
        Map<String, String> versions = new HashMap<>();
        while (m.find()) {
            versions.putIfAbsent(m.group(1), m.group(2));
        }
        return versions;
    }

    /** The version in the file name of the jar {@code type} was loaded from, e.g. {@code 1.15.5} of micrometer-core-1.15.5.jar. */
    private static String jarVersion(Class<?> type) {
        try {
            Path jar = jar(type);
            return jar.getParent().getFileName().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path jar(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
