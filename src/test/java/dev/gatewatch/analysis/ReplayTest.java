package dev.gatewatch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gatewatch.analysis.model.Event;

/**
 * Replays every timeline in {@code src/test/resources/timelines} through the decision core and checks the expected
 * alerts, cleared episodes, explanations and time to alert. Also totals the figures the README reports (written to
 * {@code target/replay-report.md}).
 */
class ReplayTest {

    static final Path DIR = Path.of("src/test/resources/timelines");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final List<String> REPORT = new ArrayList<>();
    private static int blips;
    private static int blipsAlerted;
    private static int outages;
    private static int outagesMissed;
    private static final List<Integer> timesToAlert = new ArrayList<>();

    static Stream<Path> timelines() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    static Timeline read(Path p) throws IOException {
        return JSON.readValue(p.toFile(), Timeline.class);
    }

    @Test
    void thereAreEnoughTimelines() throws IOException {
        assertTrue(timelines().count() >= 30, "at least 30 timelines");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timelines")
    void replay(Path file) throws IOException {
        Timeline t = read(file);
        Simulation.Result r = Simulation.run(t);
        Timeline.Expect x = t.expect();
        List<String> alerts = r.alerts().stream().map(Simulation.Seen::label).toList();
        List<String> cleared = r.cleared().stream().map(s -> s.event().episode().kind().code()).toList();
        boolean blipTruth = t.truth().equals("deploy_blip") || t.truth().equals("transient") || t.truth().equals("healthy");
        Integer tta = null;
        var opened = r.alerts().stream().filter(s -> s.event().type() == Event.Type.OPENED).findFirst();
        if (opened.isPresent() && x.from() != null) {
            tta = opened.get().second() - x.from();
        }
        synchronized (REPORT) {
            if (blipTruth) {
                blips++;
                blipsAlerted += alerts.isEmpty() ? 0 : 1;
            } else {
                outages++;
                outagesMissed += opened.isPresent() ? 0 : 1;
                if (tta != null && (t.truth().equals("outage") || t.truth().equals("partial"))) {
                    timesToAlert.add(tta);
                }
            }
            REPORT.add("| " + file.getFileName() + " | " + t.truth() + " | " + (alerts.isEmpty() ? "none" : String.join("; ", alerts))
                    + " | " + (cleared.isEmpty() ? "" : String.join(", ", cleared)) + " | " + (tta == null ? "" : tta + " s") + " |");
        }
        String detail = file.getFileName() + ": events " + r.events().stream().map(s -> s.second() + "s " + s.label()
                + " [" + s.event().episode().scope().label() + "]").toList();
        List<String> expectedAlerts = x.alerts() == null ? List.of() : x.alerts();
        assertEquals(expectedAlerts.size(), alerts.size(), detail);
        for (int i = 0; i < expectedAlerts.size(); i++) {
            Simulation.Seen seen = r.alerts().get(i);
            String[] words = expectedAlerts.get(i).split(" ", 3);
            assertEquals(words[0] + " " + words[1], seen.label(), detail);
            if (words.length > 2) {
                String scope = seen.event().episode().scope().extent().code() + " " + seen.event().episode().scope().label();
                assertTrue(scope.contains(words[2]), detail + ": scope " + scope + " should contain " + words[2]);
            }
        }
        if (x.cleared() != null) {
            assertEquals(x.cleared(), cleared, detail);
        }
        if (x.within() != null) {
            assertTrue(tta != null && tta <= x.within(), detail + ": time to alert " + tta + " s, at most " + x.within());
        }
        if (x.explains() != null) {
            var e = opened.map(Simulation.Seen::event).orElseGet(() -> r.cleared().isEmpty() ? null : r.cleared().get(0).event());
            assertTrue(e != null, detail);
            var ex = e.episode().explanation();
            String text = String.join(" | ", ex.summary(), ex.layer(), ex.agreement(), ex.cause(), ex.firstStep());
            for (String w : x.explains()) {
                assertTrue(text.contains(w), detail + ": explanation should mention '" + w + "': " + text);
            }
        }
    }

    @AfterAll
    static void report() throws IOException {
        double mean = timesToAlert.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        int max = timesToAlert.stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add("# Replay report");
        lines.add("");
        lines.add("- timelines: " + (blips + outages) + " (" + blips + " with no real outage, " + outages + " with one)");
        lines.add("- deploy blips / transients alerted: " + blipsAlerted + " of " + blips);
        lines.add("- outages missed: " + outagesMissed + " of " + outages);
        lines.add(String.format(java.util.Locale.ROOT, "- time to alert (outage and partial, from the first failure): mean %.1f s, max %d s, over %d timelines",
                mean, max, timesToAlert.size()));
        lines.add("");
        lines.add("| timeline | truth | alerts | cleared | time to alert |");
        lines.add("|---|---|---|---|---|");
        REPORT.stream().sorted().forEach(lines::add);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/replay-report.md"), lines);
        System.out.println(String.join("\n", lines.subList(0, 6)));
    }
}
