package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.config.FlagwayConfigException;
import dev.flagway.spring.FlagwayStartupException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns Flagway's start-up failures into Spring Boot's "APPLICATION FAILED TO START" report: what is
 * wrong (every invalid {@code flagway.*} property, or the repository bean concerned) and what to do.
 */
final class FlagwayFailureAnalyzer implements FailureAnalyzer {
    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FlagwayStartupException startup) {
                return new FailureAnalysis(startup.description(), startup.action(), startup);
            }
            if (t instanceof FlagwayConfigException config) {
                return new FailureAnalysis(config.getMessage(), "Correct the flagway.* properties above. Every key, "
                        + "its default and its values are listed in the README of flagway-spring-boot-starter, "
                        + "and your IDE completes them.", config);
            }
        }
        return null;
    }
}
