package dev.gatewatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every Gatewatch setting, under the {@code gatewatch} prefix (env: {@code GATEWATCH_...}). */
@ConfigMapping(prefix = "gatewatch")
public interface GatewatchConfig {

    /** Where the database lives when no {@code quarkus.datasource.jdbc.url} is configured. */
    Database database();

    /** Which fetch targets are refused (SSRF guard). */
    Targets targets();

    /** The first account, created at start-up for headless installs. */
    Bootstrap bootstrap();

    /** Per-owner limits and monitor defaults. */
    Monitors monitors();

    /** Web UI and session settings. */
    Web web();

    interface Database {
        /** The embedded PostgreSQL server started when no datasource URL is configured. */
        Embedded embedded();

        interface Embedded {
            String DEFAULT_DATA_DIR = "gatewatch-data/postgres";

            /** Data directory; kept across restarts so monitors and history survive. */
            @WithDefault(DEFAULT_DATA_DIR)
            String dataDir();

            /** TCP port on 127.0.0.1; 0 picks a free port at every start. */
            @WithDefault("0")
            int port();

            /**
             * Use a fresh directory under the system temp directory instead, deleted at exit (the test profile does,
             * so test runs never touch real data and two runs never collide).
             */
            @WithDefault("false")
            boolean temporary();

            /** Name of the database created inside the server. */
            @WithDefault("gatewatch")
            String database();
        }
    }

    interface Targets {
        /**
         * CIDR ranges that may be fetched even though they are private, loopback or otherwise internal,
         * e.g. {@code 10.20.0.0/16} for an intranet install. Empty in production; tests and dev allow 127.0.0.0/8.
         */
        Optional<List<String>> allow();

        /** Extra CIDR ranges that are always refused, on top of the built-in internal ranges. */
        Optional<List<String>> deny();

        /** How long registration waits for the system resolver when checking where a host name points. */
        @WithDefault("3s")
        Duration resolveTimeout();
    }

    interface Bootstrap {
        /** E-mail of an account to create at start-up if it does not exist yet. */
        Optional<String> email();

        /** Its password (at least 10 characters). */
        Optional<String> password();

        /**
         * An API token (starting {@code gw_}, at least 32 characters after it) to register for that account, so that
         * scripts can use the API without a browser. Only its hash is stored.
         */
        Optional<String> apiToken();
    }

    interface Monitors {
        /** Most monitors one owner may have. */
        @WithDefault("1000")
        int maxPerOwner();

        /** DNS resolvers a new monitor checks through when it names none. */
        @WithDefault("system,1.1.1.1,8.8.8.8")
        List<String> defaultResolvers();

        /** Most resolvers one monitor may list. */
        @WithDefault("6")
        int maxResolvers();

        /** Shortest check interval an owner may choose. */
        @WithDefault("10s")
        Duration minInterval();
    }

    interface Web {
        /** Public base URL of this installation, used in links (alerts, status pages). */
        @WithDefault("http://localhost:8080")
        String baseUrl();

        /** Whether anyone may create an account through the sign-up page. */
        @WithDefault("true")
        boolean signupOpen();
    }
}
