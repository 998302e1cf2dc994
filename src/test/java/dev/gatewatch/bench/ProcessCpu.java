package dev.gatewatch.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time from /proc, in clock ticks: of one process, of a PostgreSQL server (postmaster and every backend), of the
 * whole machine. Linux only; the figures are deltas over a window, so only differences matter.
 */
final class ProcessCpu {

    /** USER_HZ: what /proc counts CPU time in; 100 on every Linux the bench has met, asked of getconf all the same. */
    static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessCpu() {
    }

    /** The machine's CPU since boot, all cores: busy and idle (idle + iowait) ticks. */
    record Machine(long idle, long total, int cores) {

        Machine minus(Machine earlier) {
            return new Machine(idle - earlier.idle, total - earlier.total, cores);
        }

        double idleShare() {
            return total == 0 ? 0 : (double) idle / total;
        }

        double busySeconds() {
            return (total - idle) / (double) TICKS_PER_SECOND;
        }
    }

    /** utime + stime of a live process; 0 when it is gone (or pid is -1). */
    static long ticks(long pid) {
        long[] f = stat(pid);
        return f == null ? 0 : f[14] + f[15];
    }

    /**
     * Everything a PostgreSQL server has used: the postmaster's own time, the time of its children that exited and were
     * reaped (cutime + cstime: backends that closed their connection, autovacuum workers), and the live children's.
     */
    static long postgresTicks(long postmasterPid) throws IOException {
        long[] pm = stat(postmasterPid);
        if (pm == null) {
            return 0;
        }
        long sum = pm[14] + pm[15] + pm[16] + pm[17];
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                long[] f = stat(Long.parseLong(p.getFileName().toString()));
                if (f != null && f[4] == postmasterPid) {
                    sum += f[14] + f[15];
                }
            }
        }
        return sum;
    }

    /**
     * utime + stime of a process's live threads, grouped by thread name without its trailing number (so the DNS
     * responder's threads are one group; Linux keeps 15 characters of a name): where the harness spends its CPU.
     */
    static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> groups = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#: ]*[0-9]+$", "");
                String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                groups.merge(name, parse(rest[11]) + parse(rest[12]), Long::sum);
            }
        }
        return groups;
    }

    /** A /proc/[pid]/status value in kB (e.g. VmHWM, the peak resident set); -1 when the process is gone. */
    static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process exited
        }
        return -1;
    }

    static Machine machine() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
        String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            total += Long.parseLong(f[i]); // guest time is already inside user
        }
        int cores = (int) lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        return new Machine(Long.parseLong(f[4]) + Long.parseLong(f[5]), total, cores);
    }

    static double seconds(long ticks) {
        return ticks / (double) TICKS_PER_SECOND;
    }

    /** The fields of /proc/[pid]/stat indexed by their number in proc(5) (ppid 4, utime 14, stime 15, cutime 16, cstime 17); null when gone. */
    private static long[] stat(long pid) {
        if (pid <= 0) {
            return null;
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException gone) {
            return null;
        }
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" "); // after the name, which may hold spaces: field 3 on
        long[] f = new long[rest.length + 3];
        for (int n = 4; n < f.length; n++) {
            f[n] = parse(rest[n - 3]);
        }
        return f;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
