package dev.gatewatch.support.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Linux network namespace of a test's own ({@code ip netns add}), with only its loopback up: what runs inside
 * ({@link #prefix()}) reaches nothing but what a {@link Forwarder} brings in. Named {@code gw-<pid>-<name>} after this
 * JVM; {@link #close()} (or, should a test forget, a shutdown hook) ends every process left inside and deletes it, and
 * a namespace left behind by a JVM that died without its hooks is deleted by the next {@link #create}.
 */
public final class Netns implements AutoCloseable {

    public static final String IP = "/sbin/ip";
    public static final String NFT = "/usr/sbin/nft";

    private static final Pattern OURS = Pattern.compile("gw-(\\d+)-[a-z0-9-]+");
    private static final Path NAMED = Path.of("/run/netns");

    private final String name;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Netns(String name) {
        this.name = name;
        this.shutdownHook = new Thread(this::delete, "netns-delete-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Thrown where this machine does not let the test make namespaces (not root, no CAP_SYS_ADMIN, no iproute2). */
    public static final class NotPermitted extends Exception {
        NotPermitted(String message) {
            super(message);
        }
    }

    /** A fresh namespace {@code gw-<pid>-<name>} with {@code lo} up. */
    public static Netns create(String name) throws NotPermitted {
        if (!Files.isExecutable(Path.of(IP))) {
            throw new IllegalStateException(IP + " is missing: run src/test/e2e/install-tools.sh (it installs iproute2)");
        }
        deleteLeftovers();
        String full = "gw-" + ProcessHandle.current().pid() + "-" + name;
        Result add = run(List.of(IP, "netns", "add", full));
        if (add.code() != 0) {
            throw new NotPermitted("ip netns add " + full + " failed (" + add.code() + "): " + add.output().strip());
        }
        Netns ns = new Netns(full);
        Result lo = run(ns.command(IP, "link", "set", "lo", "up"));
        if (lo.code() != 0) {
            ns.close();
            throw new NotPermitted("cannot bring lo up in " + full + ": " + lo.output().strip());
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip netns exec <name>}: put before a command to run it inside (ip execs it, so its pid is the command's). */
    public List<String> prefix() {
        return List.of(IP, "netns", "exec", name);
    }

    /** {@code command} run inside the namespace. */
    public List<String> command(String... command) {
        List<String> out = new ArrayList<>(prefix());
        out.addAll(List.of(command));
        return out;
    }

    /** Whether something inside listens on TCP {@code port} (asked of {@code ss}: no connection is made). */
    public boolean listensTcp(int port) {
        Result r = run(command("ss", "-Hltn", "sport = :" + port));
        return r.code() == 0 && !r.output().isBlank();
    }

    /** Whether something inside listens on UDP {@code port}. */
    public boolean listensUdp(int port) {
        Result r = run(command("ss", "-Hlun", "sport = :" + port));
        return r.code() == 0 && !r.output().isBlank();
    }

    /**
     * Drops, inside, every TCP packet sent to {@code port} (an nftables output rule in a table of its own): connecting
     * there times out, as through a black-holed route, and connections already open stall.
     */
    public void dropTcp(int port) {
        String table = "gw_drop_" + port;
        nft("add", "table", "inet", table);
        nft("add", "chain", "inet", table, "out", "{ type filter hook output priority 0; }");
        nft("add", "rule", "inet", table, "out", "tcp", "dport", Integer.toString(port), "drop");
    }

    /** Undoes {@link #dropTcp} (a no-op where nothing is dropped). */
    public void undropTcp(int port) {
        run(command(NFT, "delete", "table", "inet", "gw_drop_" + port));
    }

    private void nft(String... args) {
        if (!Files.isExecutable(Path.of(NFT))) {
            throw new IllegalStateException(NFT + " is missing: run src/test/e2e/install-tools.sh (it installs nftables)");
        }
        List<String> command = new ArrayList<>(List.of(NFT));
        command.addAll(List.of(args));
        Result r = run(command(command.toArray(String[]::new)));
        if (r.code() != 0) {
            throw new IllegalStateException("nft " + String.join(" ", args) + " in " + name + " failed (" + r.code() + "): " + r.output().strip());
        }
    }

    /** Ends every process still inside (SIGKILL) and deletes the namespace. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
        delete();
    }

    private void delete() {
        if (closed.compareAndSet(false, true)) {
            delete(name);
        }
    }

    private static void delete(String name) {
        for (String pid : run(List.of(IP, "netns", "pids", name)).output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        run(List.of(IP, "netns", "del", name));
    }

    /** Namespaces of ours whose JVM is gone (killed before its shutdown hooks ran). */
    private static void deleteLeftovers() {
        if (!Files.isDirectory(NAMED)) {
            return;
        }
        try (Stream<Path> names = Files.list(NAMED)) {
            names.map(p -> p.getFileName().toString()).forEach(n -> {
                Matcher m = OURS.matcher(n);
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true)) {
                    delete(n);
                }
            });
        } catch (IOException ignored) {
            // best effort: a leftover namespace harms nothing but its name
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
