package dev.flagway.testing;

import java.nio.file.Path;

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

    /**
     * Where test support keeps what it unpacks once per machine (the embedded MySQL 8):
     * {@code FLAGWAY_CACHE_DIR}, else {@code $XDG_CACHE_HOME/flagway}, else {@code ~/.cache/flagway}.
     */
    static Path cacheDir() {
        String explicit = get("FLAGWAY_CACHE_DIR", null);
        if (explicit != null) {
            return Path.of(explicit);
        }
        String xdg = get("XDG_CACHE_HOME", null);
        return (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("flagway");
    }
}
