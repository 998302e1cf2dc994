package dev.gatewatch.support.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A real nginx ({@code /usr/sbin/nginx}, Debian's nginx-light or nginx) as a reverse proxy on loopback, in the
 * foreground as a child process, with a generated config, its pid file, logs and temp paths all in its own temp
 * directory. Installed by {@code src/test/e2e/install-tools.sh}.
 * <pre>{@code
 * try (Nginx nginx = Nginx.start(List.of(Nginx.Site.of("127.0.0.2", port, "shop.test", backend.spec())))) { ... }
 * }</pre>
 */
public final class Nginx implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/nginx";

    private static final Pattern UPSTREAM = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}:\\d{1,5}");
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9._*-]+");

    /**
     * One {@code server} block: nginx listens on {@code listenAddress:listenPort} (127.x.y.z) for
     * {@code serverName} and proxies everything to {@code upstream} ("ip:port", an IPv4 literal so nginx never
     * resolves a name).
     */
    public record Site(String listenAddress, int listenPort, String serverName, String upstream,
            Duration proxyReadTimeout, Duration proxyConnectTimeout) {

        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

        public Site {
            Ports.loopback(listenAddress);
            if (listenPort <= 0 || listenPort > 65535) {
                throw new IllegalArgumentException("listen port " + listenPort);
            }
            if (!SERVER_NAME.matcher(serverName).matches()) {
                throw new IllegalArgumentException("server_name " + serverName);
            }
            if (!UPSTREAM.matcher(upstream).matches()) {
                throw new IllegalArgumentException("upstream must be ipv4:port, got " + upstream);
            }
            Objects.requireNonNull(proxyReadTimeout, "proxyReadTimeout");
            Objects.requireNonNull(proxyConnectTimeout, "proxyConnectTimeout");
        }

        /** With the default timeouts: proxy_read_timeout 5 s, proxy_connect_timeout 2 s. */
        public static Site of(String listenAddress, int listenPort, String serverName, String upstream) {
            return new Site(listenAddress, listenPort, serverName, upstream, DEFAULT_READ_TIMEOUT,
                    DEFAULT_CONNECT_TIMEOUT);
        }

        public Site withReadTimeout(Duration timeout) {
            return new Site(listenAddress, listenPort, serverName, upstream, timeout, proxyConnectTimeout);
        }

        public Site withConnectTimeout(Duration timeout) {
            return new Site(listenAddress, listenPort, serverName, upstream, proxyReadTimeout, timeout);
        }
    }

    private final E2eProcess process;
    private final List<Site> sites;

    private Nginx(E2eProcess process, List<Site> sites) {
        this.process = process;
        this.sites = sites;
    }

    public static Nginx start(Site... sites) {
        return start(List.of(sites));
    }

    /** Writes the config, starts nginx and waits until every site's address:port accepts TCP (10 s at most). */
    public static Nginx start(List<Site> sites) {
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("no sites");
        }
        // Something already listening would pass the readiness check below while nginx fails to bind.
        for (Site s : sites) {
            if (Ports.acceptsTcp(s.listenAddress(), s.listenPort())) {
                throw new IllegalStateException("cannot start nginx: " + s.listenAddress() + ":" + s.listenPort()
                        + " is already in use");
            }
        }
        Path dir = E2eProcess.tempDir("nginx");
        Path conf = dir.resolve("nginx.conf");
        Path errorLog = dir.resolve("error.log");
        try {
            Files.writeString(conf, config(dir, sites), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        // -e: nginx opens its error log before reading the config; keep even that one out of /var/log.
        List<String> command = List.of(BINARY, "-p", dir + "/", "-e", errorLog.toString(), "-c", conf.toString());
        E2eProcess process = E2eProcess.start("nginx", command, dir, List.of(errorLog));
        List<Site> copy = List.copyOf(sites);
        process.awaitReady("listening on " + listenSpecs(copy),
                () -> copy.stream().allMatch(s -> Ports.acceptsTcp(s.listenAddress(), s.listenPort())));
        return new Nginx(process, copy);
    }

    static String config(Path dir, List<Site> sites) {
        StringBuilder c = new StringBuilder();
        c.append("# generated by dev.gatewatch.support.e2e.Nginx\n");
        c.append("daemon off;\n");
        c.append("master_process on;\n");
        c.append("worker_processes 1;\n");
        if (E2eProcess.runningAsRoot()) {
            c.append("user root;\n");
        }
        c.append("pid ").append(dir.resolve("nginx.pid")).append(";\n");
        c.append("error_log ").append(dir.resolve("error.log")).append(" notice;\n");
        c.append("events { worker_connections 256; }\n");
        c.append("http {\n");
        c.append("  log_format e2e '$remote_addr $host \"$request\" $status upstream=$upstream_addr '\n");
        c.append("                 'upstream_status=$upstream_status request_time=$request_time';\n");
        c.append("  access_log ").append(dir.resolve("access.log")).append(" e2e;\n");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            c.append("  ").append(temp).append("_temp_path ").append(dir.resolve(temp + "_temp")).append(";\n");
        }
        c.append("  server_tokens off;\n");
        c.append("  keepalive_timeout 5s;\n");
        for (Site s : sites) {
            c.append("  server {\n");
            c.append("    listen ").append(s.listenAddress()).append(':').append(s.listenPort()).append(";\n");
            c.append("    server_name ").append(s.serverName()).append(";\n");
            c.append("    location / {\n");
            c.append("      proxy_pass http://").append(s.upstream()).append(";\n");
            c.append("      proxy_set_header Host $host;\n");
            c.append("      proxy_set_header X-Real-IP $remote_addr;\n");
            c.append("      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
            c.append("      proxy_connect_timeout ").append(millis(s.proxyConnectTimeout())).append(";\n");
            c.append("      proxy_read_timeout ").append(millis(s.proxyReadTimeout())).append(";\n");
            c.append("      proxy_next_upstream off;\n");
            c.append("    }\n");
            c.append("  }\n");
        }
        c.append("}\n");
        return c.toString();
    }

    private static String millis(Duration d) {
        return Math.max(1, d.toMillis()) + "ms";
    }

    private static String listenSpecs(List<Site> sites) {
        List<String> specs = new ArrayList<>();
        for (Site s : sites) {
            specs.add(s.listenAddress() + ":" + s.listenPort());
        }
        return String.join(", ", specs);
    }

    public List<Site> sites() {
        return sites;
    }

    public Path dir() {
        return process.dir();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The error log so far, e.g. with "connect() failed (111: Connection refused) while connecting to upstream". */
    public String errorLog() {
        return E2eProcess.read(process.dir().resolve("error.log"));
    }

    /** The access log so far (format: addr host "request" status upstream=... upstream_status=... request_time=...). */
    public String accessLog() {
        return E2eProcess.read(process.dir().resolve("access.log"));
    }

    /** The generated nginx.conf (empty once closed: the temp directory is gone). */
    public String config() {
        return E2eProcess.read(process.dir().resolve("nginx.conf"));
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "Nginx[" + listenSpecs(sites) + ", " + process + "]";
    }
}
