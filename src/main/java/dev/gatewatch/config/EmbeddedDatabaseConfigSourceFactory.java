package dev.gatewatch.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;

/**
 * Supplies the datasource settings of an embedded PostgreSQL server when none are configured.
 * <p>
 * Its source has the lowest ordinal, so any configured {@code quarkus.datasource.jdbc.url} (properties file, env,
 * system property) wins, and the server is only started when that URL is actually read and nobody else has it.
 * The started server is kept in system properties because Quarkus builds its configuration more than once, in
 * different class loaders, and one JVM must still get exactly one server.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String URL_KEY = "quarkus.datasource.jdbc.url";
    static final String STARTED_URL = "dev.gatewatch.embedded.jdbc-url";
    static final String STARTED_DESCRIPTION = "dev.gatewatch.embedded.description";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        var settings = new EmbeddedPostgres.Settings(
                Path.of(value(context, "gatewatch.database.embedded.data-dir", GatewatchConfig.Database.Embedded.DEFAULT_DATA_DIR)),
                Integer.parseInt(value(context, "gatewatch.database.embedded.port", "0")),
                Boolean.parseBoolean(value(context, "gatewatch.database.embedded.temporary", "false")),
                value(context, "gatewatch.database.embedded.database", "gatewatch"));
        return List.of(new LazySource(settings));
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

        LazySource(EmbeddedPostgres.Settings settings) {
            this.settings = settings;
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(URL_KEY, "quarkus.datasource.username", "quarkus.datasource.password");
        }

        @Override
        public Map<String, String> getProperties() {
            // Enumerating must not start a server; only a real lookup of the URL does.
            return Map.of("quarkus.datasource.username", "postgres", "quarkus.datasource.password", "");
        }

        @Override
        public String getValue(String name) {
            return switch (name) {
                case URL_KEY -> startOnce(settings);
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
                url = pg.jdbcUrl();
                System.setProperty(STARTED_DESCRIPTION, "embedded PostgreSQL " + pg.version() + " on 127.0.0.1:" + pg.port()
                        + ", data in " + pg.dataDirectory().toAbsolutePath());
                System.setProperty(STARTED_URL, url);
            }
            return url;
        }
    }
}
