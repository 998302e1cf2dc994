package dev.gatewatch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.Application;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;

/**
 * Supplies the datasource settings of an embedded PostgreSQL server when none are configured.
 * <p>
 * Its source has the lowest ordinal, so any configured {@code quarkus.datasource.jdbc.url} (properties file, env,
 * system property) wins, and the server is only started when that URL is actually looked up and nobody else has it.
 * The URL is deliberately not among the source's property names: the Quarkus build reads every listed name, and a
 * build must never start a server (nor touch a running instance's data directory).
 * The started server is kept in system properties because Quarkus builds its configuration more than once, in
 * different class loaders, and one JVM must still get exactly one server.
 * <p>
 * The server is stopped from a JVM shutdown hook that first waits for the Quarkus application to stop, so that what
 * the application does while stopping (flushing check results, outbox writes) still has its database.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String URL_KEY = "quarkus.datasource.jdbc.url";
    static final String STARTED_URL = "dev.gatewatch.embedded.jdbc-url";
    static final String STARTED_DESCRIPTION = "dev.gatewatch.embedded.description";
    static final Duration APPLICATION_STOP_WAIT = Duration.ofMinutes(2);

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        var settings = new EmbeddedPostgres.Settings(
                Path.of(value(context, "gatewatch.database.embedded.data-dir", GatewatchConfig.Database.Embedded.DEFAULT_DATA_DIR)),
                Integer.parseInt(value(context, "gatewatch.database.embedded.port", "0")),
                Boolean.parseBoolean(value(context, "gatewatch.database.embedded.temporary", "false")),
                value(context, "gatewatch.database.embedded.database", "gatewatch"));
        return List.of(new LazySource(settings, EmbeddedDatabaseConfigSourceFactory::startOnce));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(Integer.MIN_VALUE + 100);
    }

    private static String value(ConfigSourceContext context, String key, String fallback) {
        ConfigValue v = context.getValue(key);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? fallback : v.getValue();
    }

    /** Starts the embedded server the first time the datasource URL is read from it. */
    static final class LazySource implements ConfigSource {
        private final EmbeddedPostgres.Settings settings;
        private final Function<EmbeddedPostgres.Settings, String> start;

        LazySource(EmbeddedPostgres.Settings settings, Function<EmbeddedPostgres.Settings, String> start) {
            this.settings = settings;
            this.start = start;
        }

        @Override
        public Set<String> getPropertyNames() {
            // not the URL: whoever enumerates names reads them all, as the Quarkus build does
            return Set.of("quarkus.datasource.username", "quarkus.datasource.password");
        }

        @Override
        public Map<String, String> getProperties() {
            return Map.of("quarkus.datasource.username", "postgres", "quarkus.datasource.password", "");
        }

        @Override
        public String getValue(String name) {
            return switch (name) {
                case URL_KEY -> start.apply(settings);
                case "quarkus.datasource.username" -> "postgres";
                case "quarkus.datasource.password" -> "";
                default -> null;
            };
        }

        @Override
        public int getOrdinal() {
            return 1;
        }

        @Override
        public String getName() {
            return "gatewatch-embedded-postgres";
        }
    }

    static String startOnce(EmbeddedPostgres.Settings settings) {
        synchronized (System.getProperties()) {
            String url = System.getProperty(STARTED_URL);
            if (url == null) {
                EmbeddedPostgres pg = EmbeddedPostgres.start(settings);
                stopAfterApplication(pg);
                url = pg.jdbcUrl();
                System.setProperty(STARTED_DESCRIPTION, "embedded PostgreSQL " + pg.version() + " on 127.0.0.1:" + pg.port()
                        + ", data in " + pg.dataDirectory().toAbsolutePath());
                System.setProperty(STARTED_URL, url);
            }
            return url;
        }
    }

    /** Stops the server at JVM exit, but only once the application has stopped (or after {@link #APPLICATION_STOP_WAIT}). */
    private static void stopAfterApplication(EmbeddedPostgres pg) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitApplicationStop();
            pg.close();
        }, "embedded-postgres-stop"));
    }

    /**
     * Quarkus stops the application from its own shutdown hook, which the JVM runs concurrently with this one; a
     * {@code null} current application has stopped already (or never started).
     */
    private static void awaitApplicationStop() {
        Application application = Application.currentApplication();
        if (application == null) {
            return;
        }
        // bounded: awaitShutdown has no timeout, and a JVM exit must not hang on an application nobody stops
        Thread waiter = new Thread(application::awaitShutdown, "embedded-postgres-await-application");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(APPLICATION_STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
