package dev.gatewatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Reading configuration the way the Quarkus build does starts no server; looking the URL up does. */
class EmbeddedDatabaseConfigSourceFactoryTest {

    @Test
    void readingEveryListedPropertyStartsNoServerButLookingUpTheUrlDoes() {
        List<EmbeddedPostgres.Settings> started = new ArrayList<>();
        var source = new EmbeddedDatabaseConfigSourceFactory.LazySource(
                new EmbeddedPostgres.Settings(Path.of("gatewatch-data/postgres"), 0, false, "gatewatch"), settings -> {
                    started.add(settings);
                    return "jdbc:postgresql://127.0.0.1:1/gatewatch";
                });
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(source).build();

        // BuildTimeConfigurationReader collects every source's property names, then reads each of them
        for (ConfigSource s : config.getConfigSources()) {
            for (String name : s.getPropertyNames()) {
                config.getConfigValue(name);
            }
            s.getProperties();
        }
        config.getPropertyNames().forEach(config::getConfigValue);
        assertEquals(List.of(), started);

        assertEquals("jdbc:postgresql://127.0.0.1:1/gatewatch",
                config.getValue(EmbeddedDatabaseConfigSourceFactory.URL_KEY, String.class));
        assertEquals(1, started.size());
    }
}
