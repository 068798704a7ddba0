package dev.flagway.testing;

/** Test settings from system properties first, then environment variables. */
final class Settings {
    private Settings() {
    }

    static String get(String name, String defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    /** Whether {@code FLAGWAY_REQUIRE_DB=true}: an unreachable database then fails the test run. */
    static boolean requireDb() {
        return Boolean.parseBoolean(get("FLAGWAY_REQUIRE_DB", "false").trim());
    }
}
