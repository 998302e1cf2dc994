package dev.gatewatch.config;

import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/** Says at start which database is in use, so an operator never wonders where their data went. */
@ApplicationScoped
public class DatabaseStartupLog {

    private static final Logger LOG = Logger.getLogger(DatabaseStartupLog.class);

    void onStart(@Observes StartupEvent event, DataSource dataSource) throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var meta = connection.getMetaData();
            String url = meta.getURL();
            String embedded = System.getProperty(EmbeddedDatabaseConfigSourceFactory.STARTED_DESCRIPTION);
            if (embedded != null && url.startsWith(System.getProperty(EmbeddedDatabaseConfigSourceFactory.STARTED_URL))) {
                LOG.infof("Database: %s (set QUARKUS_DATASOURCE_JDBC_URL to use your own server)", embedded);
            } else {
                LOG.infof("Database: external PostgreSQL %s at %s", meta.getDatabaseProductVersion(), withoutCredentials(url));
            }
        }
    }

    /** The URL without its parameters and user info, where a password may be given (?password=, //user:pw@). */
    static String withoutCredentials(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        return base.replaceFirst("//[^/@]*@", "//");
    }
}
