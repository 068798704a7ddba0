package dev.flagway.cli;

import dev.flagway.config.FlagwayConfigException;
import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.FlagwaySettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Where the database and the migrations come from, shared by every command that reads the database:
 * {@code --config} (the application's properties file, with the same {@code flagway.*} keys the
 * library binds), and {@code --jdbc-url}, {@code --user}, {@code --password}, which fall back to the
 * environment variables {@code FLAGWAY_JDBC_URL}, {@code FLAGWAY_USER}, {@code FLAGWAY_PASSWORD} and
 * then to the properties file's {@code spring.datasource.url}, {@code .username}, {@code .password}.
 * The password is never printed: {@code --password} without a value asks for it without echo.
 */
public final class ConnectionOptions {
    /** The environment variable of the JDBC URL. */
    static final String URL_ENV = "FLAGWAY_JDBC_URL";
    /** The environment variable of the user. */
    static final String USER_ENV = "FLAGWAY_USER";
    /** The environment variable of the password. */
    static final String PASSWORD_ENV = "FLAGWAY_PASSWORD";

    @Option(names = "--config", paramLabel = "FILE",
            description = "The application's properties file: flagway.* keys (migrations, provider), and"
                    + " spring.datasource.url/username/password as the last fallback for the connection.")
    Path config;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "JDBC URL (jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:); default: $" + URL_ENV + ".")
    String jdbcUrl;

    @Option(names = "--user", paramLabel = "USER", description = "Database user; default: $" + USER_ENV + ".")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "Database password; without a value it is asked for without echo; default: $"
                    + PASSWORD_ENV + ". Never printed.")
    char[] password;

    /** The environment, replaceable for tests of the fallback order. */
    Function<String, String> environment = System::getenv;

    /** The properties file's contents, empty without {@code --config}. */
    Properties properties() {
        Properties p = new Properties();
        if (config == null) {
            return p;
        }
        try (Reader in = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw CliException.usage("configuration file " + config + " does not exist");
        } catch (IOException e) {
            throw CliException.usage("configuration file " + config + " cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("configuration file " + config + " is not a valid properties file: "
                    + e.getMessage());
        }
        return p;
    }

    /** The {@code flagway.*} settings of the properties file, bound as the library binds them. */
    FlagwaySettings settings(Properties properties) {
        try {
            return FlagwayProperties.bind(properties);
        } catch (FlagwayConfigException e) {
            throw new CliException(ExitCode.USAGE, "configuration " + (config == null ? "" : "file " + config + " ")
                    + "is invalid: " + String.join("; ", e.problems()), e);
        }
    }

    /** The JDBC URL, user and password, by the documented precedence. */
    Credentials credentials(Properties properties) {
        String url = first(jdbcUrl, environment.apply(URL_ENV), properties.getProperty("spring.datasource.url"));
        if (url == null || url.isBlank()) {
            throw CliException.usage("no database given: pass --jdbc-url, set " + URL_ENV
                    + ", or give spring.datasource.url in the --config file");
        }
        String u = first(user, environment.apply(USER_ENV), properties.getProperty("spring.datasource.username"));
        String pw = first(password == null ? null : new String(password), environment.apply(PASSWORD_ENV),
                properties.getProperty("spring.datasource.password"));
        Redactor.secret(pw);
        return new Credentials(url.trim(), u, pw);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A JDBC URL with its user and password; {@link #toString()} leaves the password out. */
    record Credentials(String url, String user, String password) {
        @Override
        public String toString() {
            return Redactor.redact(url) + (user == null ? "" : " as " + user);
        }
    }
}
