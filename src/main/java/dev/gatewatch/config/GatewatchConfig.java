package dev.gatewatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * The public base URL of this installation, as users reach it (e.g. {@code https://gatewatch.example.com}): links
     * in alerts, digests, password reset mails and status pages point there, and when it is https, cookies are
     * {@code Secure} and HSTS is sent. Unset: {@code http://localhost:8080}, with a warning at start.
     */
    Optional<String> publicUrl();

    /** Web UI and session settings. */
    Web web();

    /**
     * What this instance does: {@code api} (REST API and web UI), {@code checker} (runs checks for its region),
     * {@code analyzer} (turns results into verdicts), {@code notifier} (delivers alerts). A region's checker is the
     * same jar started with {@code gatewatch.roles=checker}.
     */
    @WithDefault("api,checker,analyzer,notifier")
    Set<Role> roles();

    /** The checker role: scheduling, probing and the result writer. */
    Checker checker();

    /** Stored check results: partitions, retention and rollups. */
    Results results();

    /** The analyzer role: verdicts, incidents and fast confirmation. */
    Analyzer analyzer();

    /** The notifier role: delivering alerts from the outbox. */
    Notifier notifier();

    /** Gatewatch watching itself: when readiness goes DOWN. */
    Health health();

    /** A dead man's switch: a URL pinged while the whole pipeline is healthy, so an outside service pages when it stops. */
    Heartbeat heartbeat();

    /** On-demand diagnosis ("is it down for everyone?"): a URL checked at once from every live region and resolver. */
    Diagnosis diagnosis();

    enum Role {
        api, checker, analyzer, notifier
    }

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
        /** Deprecated name of {@code gatewatch.public-url}, read only when that is unset. */
        @Deprecated
        Optional<String> baseUrl();

        /** Whether anyone may create an account through the sign-up page. */
        @WithDefault("true")
        boolean signupOpen();

        /**
         * How long a node keeps the rollups of completed days and hours that uptime figures, sparklines and strips are
         * built from (the current day and hour are always read fresh). Results a checker wrote late, after an outage of
         * the database, show after at most this long.
         */
        @WithDefault("5m")
        Duration historyCache();

        /**
         * How long a status page address its owner changed away from stays reserved for them: other owners cannot
         * take it, so visitors' bookmarks and embedded badges do not lead to a stranger's page; the owner can take it
         * back meanwhile.
         */
        @WithDefault("30d")
        Duration releasedSlugReserve();

        /** Web UI sessions, kept in the database (no signing key to configure or leak). */
        Sessions sessions();

        /** Login throttling and password hashing. */
        Login login();

        /** Security headers of the web UI and the public pages. */
        Headers headers();
    }

    interface Sessions {
        /** A session unused for this long ends. */
        @WithDefault("8h")
        Duration idleTimeout();

        /** A session ends this long after login, however much it is used. */
        @WithDefault("7d")
        Duration maxAge();
    }

    interface Login {
        /** Failed logins for one account before each further try has to wait (doubling from 1 s). */
        @WithDefault("5")
        int accountFreeFailures();

        /** Failed logins from one client address (any accounts) before it has to wait; higher, as NAT shares addresses. */
        @WithDefault("20")
        int addressFreeFailures();

        /** The longest wait, reached after repeated failures: a temporary lock. */
        @WithDefault("15m")
        Duration maxLock();

        /** Failures older than this are forgotten. */
        @WithDefault("1h")
        Duration forgetAfter();

        /**
         * The bcrypt work factor of new password hashes: each step doubles the CPU a login costs (12: ~0.3 s on one core
         * of the build machine). Existing hashes keep the factor they were made with until the password is next set.
         */
        @WithDefault("12")
        @jakarta.validation.constraints.Min(4)
        @jakarta.validation.constraints.Max(31)
        int bcryptCost();

        /** Threads that hash passwords (bcrypt, ~0.3 s of CPU each); the rest of the node keeps the other cores. */
        @WithDefault("1")
        int hashingThreads();

        /** Logins waiting for a hashing thread; more at once are answered "busy, try again" at once. */
        @WithDefault("16")
        int hashingQueue();

        /** How long a password reset link sent by e-mail works (once). */
        @WithDefault("1h")
        Duration resetLinkValidity();
    }

    interface Headers {
        /** HSTS max-age sent on every response when the base URL is https (0: no header). */
        @WithDefault("365d")
        Duration hstsMaxAge();
    }

    interface Checker {
        /** Region this checker reports as; monitors with no region list are checked from every live region. */
        @WithDefault("local")
        String region();

        /** Most (monitor, region) slots checked at once on this instance; each runs one check per resolver. */
        @WithDefault("2000")
        int concurrency();

        /** How often the scheduler asks PostgreSQL for due work. */
        @WithDefault("250ms")
        Duration pollInterval();

        /** Work due this far ahead is claimed early and started on time by a local timer. */
        @WithDefault("1s")
        Duration lookahead();

        /** Most (monitor, region) rows claimed in one query. */
        @WithDefault("1000")
        int claimBatch();

        /**
         * How long a claim holds without renewal. A live checker renews its claims every quarter of this, however long
         * its checks take; if it dies, another checker of the region takes its slots over once this has passed (so
         * a monitor on the shortest interval, 10 s, is checked again within two intervals).
         */
        @WithDefault("8s")
        Duration lease();

        /**
         * Fraction of {@code concurrency} each owner is sure to get. An owner holding that many slots gets more only
         * while as many stay free for the others, so one owner's slow or hanging targets cannot hold up another's
         * checks; an owner alone on a node can use all but that many.
         */
        @WithDefault("0.25")
        double ownerShare();

        /** How often this node writes its heartbeat (and load) to the database. */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** A node without a heartbeat for this long counts as gone; a region with no live node is silent. */
        @WithDefault("30s")
        Duration nodeTimeout();

        /** Response body read for assertions; a larger body fails the check as body_too_large. */
        @WithDefault("1048576")
        int bodyLimit();

        /** Start of an error response body kept with the result, for telling who generated it. */
        @WithDefault("2048")
        int errorBodyLimit();

        /** User-Agent header sent unless the monitor sets its own. */
        @WithDefault("Gatewatch/0.1 (+https://gatewatch.dev/bot)")
        String userAgent();

        /**
         * Extra trusted CA certificates (PEM files) on top of the JVM's, e.g. an intranet CA. Certificates that chain
         * to neither fail as tls_untrusted.
         */
        Optional<List<String>> extraTrust();

        /** Threads for the system resolver, which blocks. */
        @WithDefault("32")
        int systemResolverThreads();

        /**
         * Threads that judge responses off the event loop: bodies over 16 KiB, compressed bodies and any check with a
         * pattern. Shared by every check of this instance; each check's share is bounded by {@code assertion-budget}.
         */
        @WithDefault("4")
        int assertionThreads();

        /**
         * Longest judging one response may take (decoding, patterns, JSON), and never past the monitor's timeout;
         * past it the check fails as assertion_failed. Keeps one tenant's patterns from holding the shared workers.
         */
        @WithDefault("2s")
        Duration assertionBudget();

        /** Result writer: batching and the buffer kept while the database is unreachable. */
        Writer writer();

        interface Writer {
            /** Most results written in one statement batch. */
            @WithDefault("1000")
            int batchSize();

            /** Longest a result waits before being written. */
            @WithDefault("500ms")
            Duration flushInterval();

            /**
             * Results kept in memory while the database is unreachable; past this the oldest are dropped, logged and
             * counted (metric gatewatch_check_results_dropped).
             */
            @WithDefault("200000")
            int bufferLimit();

            /**
             * Writer threads, each with a connection of its own while it writes; a monitor always goes to the same one, so
             * its results stay in order. More than one lets PostgreSQL use more than one core for the writes.
             */
            @WithDefault("2")
            int lanes();

            /**
             * How long rollups (per minute, hour and day) are merged in memory before they are written: one row per stream
             * and minute instead of four upserts per check. Written at shutdown too; a checker killed outright loses up to
             * this much of the rollups (not of the raw results).
             */
            @WithDefault("60s")
            Duration rollupInterval();

            /**
             * Whether result commits wait for their WAL to reach disk. Off (the default), a commit returns at once and
             * PostgreSQL flushes within a fraction of a second; if the PostgreSQL server itself crashes, the last moments
             * of results are lost together with their slots' completions, so those slots are simply checked again. Never
             * corrupts anything; other writes (monitors, incidents, alerts) always commit durably.
             */
            @WithDefault("false")
            boolean synchronousCommit();
        }
    }

    interface Results {
        /** How long raw check results are kept (whole daily partitions are dropped). */
        @WithDefault("30d")
        Duration retention();

        /** How many daily partitions are created ahead of today. */
        @WithDefault("3")
        int partitionsAhead();

        /** How long per-minute rollups are kept. */
        @WithDefault("3d")
        Duration minuteRollupRetention();

        /** How long per-hour rollups are kept. */
        @WithDefault("400d")
        Duration hourRollupRetention();

        /** How often partitions and retention are maintained. */
        @WithDefault("1h")
        Duration maintenanceInterval();
    }

    interface Analyzer {
        /** How often the analyzer looks for monitors with new results (and re-judges monitors in trouble). */
        @WithDefault("1s")
        Duration interval();

        /** Most monitors evaluated in one transaction. */
        @WithDefault("200")
        int batchSize();

        /** Check interval from every region while a monitor is suspected or recovering (fast confirmation). */
        @WithDefault("10s")
        Duration fastInterval();

        /**
         * Check interval from every region once a suspected failure nears the end of its confirmation window: the checks
         * there tell a blip just under the window from an outage just over it. A few seconds of these per failure.
         */
        @WithDefault("1s")
        Duration preciseInterval();

        /** A monitor changing between failing and passing this many times ... */
        @WithDefault("6")
        int flapChanges();

        /** ... within this span is flapping: one incident instead of one per change. */
        @WithDefault("15m")
        Duration flapSpan();

        /** A flapping incident ends after this long without a change. */
        @WithDefault("5m")
        Duration flapQuiet();

        /** How long an open-ended deployment marker (no end, no expected duration) covers failures. */
        @WithDefault("15m")
        Duration deployLimit();

        /** Most failing checks kept as an incident's evidence (half from the start, half the latest). */
        @WithDefault("20")
        int evidenceSamples();

        /** How far back results are read for a monitor the analyzer has not seen yet. */
        @WithDefault("10m")
        Duration lookback();

        /**
         * How often a pass looks at every monitor's latest results; in between it looks only at the monitors the result
         * writers named (PostgreSQL notifications) and those with something going on. A pass also looks at everything
         * whenever it may have missed notifications (its listening connection was down).
         */
        @WithDefault("30s")
        Duration fullScanInterval();
    }

    interface Notifier {
        /** How often the outbox gauges (gatewatch_outbox_pending, gatewatch_outbox_oldest_due_seconds) are read. */
        @WithDefault("15s")
        Duration metricsInterval();

        /** How often a notifier looks for alerts to deliver. */
        @WithDefault("500ms")
        Duration pollInterval();

        /** Most alerts one notifier claims in one round; it claims again as soon as sends finish. */
        @WithDefault("20")
        int batchSize();

        /** Sends one notifier runs at once, over all channels (its sender threads). */
        @WithDefault("32")
        int senders();

        /**
         * Sends in flight to one channel at once, over all notifiers; a receiver that hangs holds at most this many
         * senders and never delays another channel.
         */
        @WithDefault("1")
        int channelConcurrency();

        /** How long a claimed alert is held; a notifier that dies mid-send is replaced after this. */
        @WithDefault("2m")
        Duration lease();

        /**
         * Longest wait for an HTTP receiver: to connect, and then for its answer; for e-mail, for the whole SMTP
         * conversation. No answer after the request went out makes the attempt unconfirmed (the receiver may have it).
         */
        @WithDefault("10s")
        Duration sendTimeout();

        /**
         * First retry delay after an unconfirmed send to a receiver without idempotency (Slack), where a retry may post
         * the alert twice; doubled per unconfirmed send up to {@code max-backoff}, with up to 25% jitter.
         */
        @WithDefault("5m")
        Duration unconfirmedBackoff();

        /** First retry delay; doubled per attempt, with up to 25% jitter. */
        @WithDefault("10s")
        Duration initialBackoff();

        /** Longest delay between retries. */
        @WithDefault("30m")
        Duration maxBackoff();

        /** An alert not delivered after this long is marked failed and shown on its channel. */
        @WithDefault("24h")
        Duration giveUpAfter();

        /** How often a notifier looks for open incidents due a reminder and channels due their daily digest. */
        @WithDefault("30s")
        Duration scanInterval();

        /** Local time (in the channel's time zone) of the daily digest, for channels that do not set digestAt. */
        @WithDefault("08:00")
        java.time.LocalTime digestAt();
    }

    interface Health {
        /** Checker role: readiness is DOWN while results have waited this long without any being stored. */
        @WithDefault("60s")
        Duration storeStall();

        /**
         * Checker role: readiness is DOWN while this many results wait to be stored (the database takes them more slowly
         * than they come: the writer falls behind before its buffer fills and drops any).
         */
        @WithDefault("50000")
        int storeBacklog();

        /** Analyzer role: readiness is DOWN when no pass over the monitors has finished for this long. */
        @WithDefault("60s")
        Duration judgeStall();

        /** Notifier role: readiness is DOWN while an alert has been due this long without being delivered or given up. */
        @WithDefault("5m")
        Duration outboxStall();

        /**
         * Longest a readiness check waits for the database (the database check, and the notifier's outbox check): one
         * without an answer by then is DOWN, so readiness answers in about twice this even with the server frozen.
         */
        @WithDefault("800ms")
        Duration databaseDeadline();
    }

    interface Heartbeat {
        /**
         * URL to ping (HTTP GET, healthchecks.io style) while this instance's readiness is UP, i.e. every stage it
         * runs (check, store, judge, notify) is healthy; the outside service pages when the pings stop. Unset: no pings.
         */
        Optional<String> url();

        /** How often the URL is pinged. */
        @WithDefault("60s")
        Duration interval();

        /** Longest wait for the heartbeat service to answer. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Diagnosis {
        /**
         * Whether anyone, without an account, may diagnose a URL ({@code /diagnose} and {@code POST /api/v1/diagnose}).
         * Off by default: an open diagnosis page lets strangers make this installation send requests.
         */
        @WithDefault("false")
        boolean anonymous();

        /**
         * The resolvers every diagnosis asks besides the system one (a monitor's own are added for its diagnoses):
         * public resolvers a visitor might switch to.
         */
        @WithDefault("system,1.1.1.1,8.8.8.8,9.9.9.9")
        List<String> resolvers();

        /** Ports an anonymous diagnosis may reach, on the URL and on every redirect hop. */
        @WithDefault("80,443")
        Set<Integer> anonymousPorts();

        /** Longest wait for one check of an anonymous diagnosis (an owner's monitor uses its own timeout, up to this). */
        @WithDefault("8s")
        Duration checkTimeout();

        /** How long after the request a region without answers is shown as not answering. */
        @WithDefault("12s")
        Duration regionDeadline();

        /** How long a diagnosis and its page are kept. */
        @WithDefault("7d")
        Duration keep();

        /** An anonymous request for a URL diagnosed this recently is answered with that diagnosis instead of new checks. */
        @WithDefault("60s")
        Duration reuseWithin();

        /** New anonymous diagnoses one client address may start per hour. */
        @WithDefault("20")
        int perClientPerHour();

        /** New anonymous diagnoses the whole installation starts per minute, at most. */
        @WithDefault("60")
        int perMinute();

        /** New diagnoses one owner may start per minute. */
        @WithDefault("10")
        int perOwnerPerMinute();

        /** Diagnoses a checker works on at once (each checks through every resolver in parallel). */
        @WithDefault("4")
        int concurrency();

        /** How often a checker looks for diagnoses when it has heard no notice (the notices make it immediate). */
        @WithDefault("5s")
        Duration pollInterval();
    }
}
