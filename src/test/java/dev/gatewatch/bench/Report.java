package dev.gatewatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's plain-text report, a label column and a value column, printed and optionally written to a file. */
final class Report {

    private final StringBuilder text = new StringBuilder();

    Report title(String title) {
        text.append("==== ").append(title).append(" ====\n");
        return this;
    }

    /** A labelled line; {@code format} as in String.format (Locale.ROOT). */
    Report line(String label, String format, Object... args) {
        text.append(String.format(Locale.ROOT, "%-28s %s%n", label, String.format(Locale.ROOT, format, args)));
        return this;
    }

    /** An indented line under the last label. */
    Report sub(String format, Object... args) {
        text.append("  ").append(String.format(Locale.ROOT, format, args)).append('\n');
        return this;
    }

    /** CPU of the window per process: seconds per 1,000 stored checks and % of one core. */
    Report cpu(Measurement m, boolean analyzer) {
        line("CPU", "per process, over the window");
        sub("%-26s %14s %13s", "", "s/1000 checks", "% of a core");
        cpuRow(m, "checker process", m.checker());
        if (analyzer) {
            cpuRow(m, "analyzer process", m.analyzer());
        }
        cpuRow(m, "PostgreSQL (all processes)", m.postgres());
        cpuRow(m, "Gatewatch total", m.gatewatch());
        cpuRow(m, "harness (bench JVM)", m.harness());
        ProcessCpu.Machine machine = m.machine();
        double ours = ProcessCpu.seconds(m.gatewatch() + m.harness());
        line("machine", "%d cores, idle %.1f %% over the window; busy %.1f core-s, of which the bench's processes %.1f, others %.1f",
                machine.cores(), 100 * machine.idleShare(), machine.busySeconds(), ours, machine.busySeconds() - ours);
        return this;
    }

    private void cpuRow(Measurement m, String name, long ticks) {
        sub("%-26s %14.3f %11.1f %%", name, m.per1000(ticks), m.percentOfCore(ticks));
    }

    /** Per DNS responder: queries and answers in the window, kernel drops in the window and over the run; targets served. */
    Report harness(Run.Sample from, Run.Sample to, String span) {
        line("harness health", "%s (drops also over the whole run)", span);
        for (int i = 0; i < to.dns().size(); i++) {
            HarnessHealth.Responder a = from.dns().get(i);
            HarnessHealth.Responder b = to.dns().get(i);
            sub("DNS %-20s queries %d, answered %d, kernel drops %d (run %d), receive buffer %d KiB", b.spec(),
                    b.queries() - a.queries(), b.answered() - a.answered(), b.drops() - a.drops(), b.drops(), b.receiveBuffer() / 1024);
        }
        StringBuilder served = new StringBuilder();
        for (int i = 0; i < to.served().size(); i++) {
            served.append(i == 0 ? "" : ", ").append("127.0.0.").append(i + 1).append(' ').append(to.served().get(i) - from.served().get(i));
        }
        sub("targets served  %s", served);
        double seconds = java.time.Duration.between(from.at(), to.at()).toNanos() / 1e9;
        StringBuilder threads = new StringBuilder();
        to.harnessThreads().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - from.harnessThreads().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
                .forEach(e -> threads.append(threads.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f %%", e.getKey(),
                        100 * ProcessCpu.seconds(e.getValue()) / seconds)));
        sub("harness CPU by thread (%% of a core)  %s", threads.isEmpty() ? "-" : threads);
        return this;
    }

    Report failures(List<DatabaseFigures.Failure> failures) {
        line("failures in the window", failures.isEmpty() ? "none" : "by error class and cause (digits as N)");
        failures.forEach(f -> sub("%8d  %-22s %s", f.count(), f.errorClass(), f.message()));
        return this;
    }

    Report incidents(List<DatabaseFigures.Failure> incidents, Map<String, Long> phases) {
        line("incidents in the window", incidents.isEmpty() ? "none written" : "written (opened or updated), by track and kind");
        incidents.forEach(i -> sub("%8d  %-22s %s", i.count(), i.errorClass(), i.message()));
        return sub("analysis phases at the end  %s", phases.isEmpty() ? "-" : phases);
    }

    Report growth(long databaseBytes, long checks, List<DatabaseFigures.Growth> relations) {
        line("database growth", "%s per stored check (%+.1f MiB over the window)", checks == 0 ? "-" : (databaseBytes / checks) + " bytes",
                databaseBytes / 1048576.0);
        relations.forEach(g -> sub("%-44s %-6s %+9.1f MiB  %s", g.relation(), g.kind(), g.bytes() / 1048576.0,
                checks == 0 ? "" : String.format(Locale.ROOT, "%d bytes/check", g.bytes() / checks)));
        return this;
    }

    Report statements(boolean enabled, List<DatabaseFigures.TopStatement> top) {
        if (!enabled) {
            return line("pg_stat_statements", "not available in this server (not preloaded or -Dbench.statements=false): skipped");
        }
        line("pg_stat_statements", "top %d by total time in the window, the harness's own left out", top.size());
        sub("%9s %10s %8s %9s  %s", "calls", "total ms", "mean ms", "rows", "query");
        top.forEach(s -> sub("%9d %10.0f %8.3f %9d  %s", s.calls(), s.totalMs(), s.meanMs(), s.rows(), s.query()));
        return this;
    }

    Report serverLog(DatabaseFigures.ServerLog log) {
        line("PostgreSQL server.log", "deadlocks detected %d (target 0)%s", log.deadlocks(), log.deadlocks() == 0 ? "" : ", by cancelled statement:");
        log.deadlockStatements().entrySet().stream().limit(10).forEach(e -> sub("%8d  %s", e.getValue(), e.getKey()));
        line("", "other ERROR/FATAL lines: %s", log.errors().isEmpty() ? "none" : log.errors().values().stream().mapToLong(Long::longValue).sum());
        log.errors().entrySet().stream().limit(10).forEach(e -> sub("%8d  %s", e.getValue(), e.getKey()));
        return this;
    }

    /** The checker's result writer's own account of its close (written, dropped, unwritten, ...). */
    Report shutdown(Run.Shutdown s) {
        line("checker stop (SIGTERM)", "exited %d after %.1f s", s.exitCode(), s.seconds());
        if (s.writerClosed() == null) {
            return line("results unwritten at stop", "not reported by this build");
        }
        StringBuilder figures = new StringBuilder();
        for (String pair : s.writerClosed().split("[\\s,]+")) {
            String[] kv = pair.split("=", 2);
            figures.append(figures.isEmpty() ? "" : ", ").append(kv.length == 2 ? kv[0] + " " + kv[1] : pair);
        }
        return line("results unwritten at stop", "%s (result writer's closing line)", figures);
    }

    Report kv(String label, Map<String, String> values) {
        return line(label, "%s", values.isEmpty() ? "-" : values.toString());
    }

    String text() {
        return text.toString();
    }

    /** Prints the report and writes it to {@code file} when one is given. */
    void emit(Path file) throws IOException {
        System.out.print(text);
        if (file != null) {
            Files.writeString(file, text);
            System.out.println("report written to " + file.toAbsolutePath());
        }
    }
}
