package dev.gatewatch.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The real PostgreSQL server behind a data source, stopped and started with its own {@code pg_ctl} (the embedded
 * server's, or a local Debian one's), as an operator or a crash would: a real outage, not a cut connection.
 */
public final class PostgresServer {

    private final Path dataDirectory;
    private final Path pgCtl;
    private final List<String> options;
    private final boolean asNobody;

    private PostgresServer(Path dataDirectory, Path pgCtl, List<String> options, boolean asNobody) {
        this.dataDirectory = dataDirectory;
        this.pgCtl = pgCtl;
        this.options = options;
        this.asNobody = asNobody;
    }

    /** The server {@code dataSource} talks to; it must run on this machine. */
    public static PostgresServer of(DataSource dataSource) throws SQLException, IOException {
        Path data;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select setting from pg_settings where name = 'data_directory'")) {
            rs.next();
            data = Path.of(rs.getString(1));
        }
        // postmaster.opts holds the server's own command line: its binary (pg_ctl lives beside it) and options
        String opts = Files.readString(data.resolve("postmaster.opts"), StandardCharsets.UTF_8).trim();
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(opts);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        Path postgres = Path.of(words.get(0));
        List<String> options = new ArrayList<>(words.subList(1, words.size()));
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).equals("-D")) {
                options.remove(i + 1);
                options.remove(i);
                break;
            }
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean owned = !Files.getOwner(data).getName().equals("root");
        return new PostgresServer(data, postgres.resolveSibling("pg_ctl"), options, root && owned);
    }

    /** Stops the server (fast shutdown: sessions are cut, as in a restart). */
    public void stop() throws IOException {
        run(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts it again with the options it ran with. */
    public void start() throws IOException {
        run(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-o", String.join(" ", options.stream()
                .map(o -> o.contains(" ") ? "'" + o + "'" : o).toList()), "-l", dataDirectory.resolve("server.log").toString(),
                "-t", "60", "-w", "start"));
    }

    /**
     * Freezes the server with SIGSTOP (the postmaster first, so that it forks no more, then every process it started):
     * its sockets stay open and nothing answers, as on a host that hangs. Always {@link #thaw()} in a finally block.
     */
    public void freeze() throws IOException {
        long postmaster = postmasterPid();
        signal("STOP", List.of(postmaster));
        signal("STOP", ProcessHandle.of(postmaster).map(p -> p.descendants().map(ProcessHandle::pid).toList()).orElse(List.of()));
    }

    /** Lets a frozen server run again (SIGCONT, its children first). */
    public void thaw() throws IOException {
        long postmaster = postmasterPid();
        signal("CONT", ProcessHandle.of(postmaster).map(p -> p.descendants().map(ProcessHandle::pid).toList()).orElse(List.of()));
        signal("CONT", List.of(postmaster));
    }

    private long postmasterPid() throws IOException {
        // postmaster.pid's first line is the postmaster's process id
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim());
    }

    private static void signal(String signal, List<Long> pids) throws IOException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(Long.toString(p)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
