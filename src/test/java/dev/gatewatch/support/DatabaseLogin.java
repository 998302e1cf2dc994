package dev.gatewatch.support;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The test database's JDBC URL and login, for what connects on its own: checker processes, TCP relays, namespaces. */
@ApplicationScoped
public class DatabaseLogin {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /** The password, empty where the server needs none (the embedded one). */
    public String password() {
        return password.orElse("");
    }

    /** The server's TCP port, from the URL. */
    public int port() {
        return URI.create(url.substring("jdbc:".length())).getPort();
    }
}
