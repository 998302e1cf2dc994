package dev.gatewatch.health;

import java.util.Map;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Makes the libraries' meters pass {@code promtool check metrics} as Gatewatch's own do (MetricsLintTest): help text
 * where a library gives none, snake_case tag names, base units, no {@code _count} suffix on a gauge. Long task timers
 * are dropped: the Prometheus registry writes them as a summary whose samples ({@code _active_count},
 * {@code _duration_sum}) belong to no family, and their {@code _max} and the active-connections gauges say the same.
 */
@Singleton
public class PrometheusNames {

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("http.server.active.requests", "HTTP requests being served now"),
            Map.entry("netty.allocator.memory.pinned", "Bytes of Netty's pooled buffers in use (pinned)"),
            Map.entry("netty.allocator.memory.used", "Bytes Netty's allocator has reserved"),
            Map.entry("netty.allocator.pooled.arenas", "Arenas of Netty's pooled allocator"),
            Map.entry("netty.allocator.pooled.cache.size", "Cache size of Netty's pooled allocator"),
            Map.entry("netty.allocator.pooled.chunk.size", "Chunk size of Netty's pooled allocator"),
            Map.entry("netty.allocator.pooled.threadlocal.caches", "Thread-local caches of Netty's pooled allocator"),
            Map.entry("netty.eventexecutor.tasks.pending", "Tasks waiting in a Netty event loop"));

    @Produces
    @Singleton
    MeterFilter lintClean() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                // process.cpu.time counts nanoseconds (abbreviated, not a base unit); process_cpu_usage stays
                return id.getType() == Meter.Type.LONG_TASK_TIMER || id.getName().equals("process.cpu.time")
                        ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                Meter.Id mapped = id;
                if (mapped.getName().equals("system.cpu.count")) {
                    mapped = mapped.withName("system.cpu.cores");
                }
                String client = mapped.getTag("clientName"); // the mailer's
                if (client != null) {
                    Tags tags = Tags.empty();
                    for (Tag t : mapped.getTagsAsIterable()) {
                        tags = tags.and(t.getKey().equals("clientName") ? Tag.of("client_name", t.getValue()) : t);
                    }
                    mapped = mapped.replaceTags(tags);
                }
                String help = mapped.getDescription();
                if (help == null || help.isBlank()) {
                    mapped = new Meter.Id(mapped.getName(), Tags.of(mapped.getTagsAsIterable()), mapped.getBaseUnit(),
                            HELP.getOrDefault(mapped.getName(), mapped.getName().replace('.', ' ')), mapped.getType());
                }
                return mapped;
            }
        };
    }
}
