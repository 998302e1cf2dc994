package dev.gatewatch.analysis;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.gatewatch.analysis.model.Classification;
import dev.gatewatch.analysis.model.Context;
import dev.gatewatch.analysis.model.Deployment;
import dev.gatewatch.analysis.model.Episode;
import dev.gatewatch.analysis.model.Event;
import dev.gatewatch.analysis.model.Evidence;
import dev.gatewatch.analysis.model.Flip;
import dev.gatewatch.analysis.model.MonitorState;
import dev.gatewatch.analysis.model.Phase;
import dev.gatewatch.analysis.model.Policy;
import dev.gatewatch.analysis.model.Sample;
import dev.gatewatch.analysis.model.Scope;
import dev.gatewatch.analysis.model.Settings;
import dev.gatewatch.analysis.model.StreamState;
import dev.gatewatch.check.ErrorClass;

/**
 * The decision core: folds new samples of one monitor into its state and says what happened. Pure: values in, values
 * out, no clock (time comes from the samples and {@link Context#now()}).
 *
 * <p>Availability: UP → SUSPECT on the first failing check; SUSPECT → UP as a deploy blip or transient when every live
 * (region, resolver) passes {@code successThreshold} times before the confirmation window (or a deployment marker)
 * ends; otherwise DOWN with an outage or partial verdict; DOWN → UP (recovered) the same way. Too many changes in a
 * short span make one FLAPPING incident. Latency is tracked beside it: slower than the limit for a whole window makes a
 * DEGRADED incident.
 */
public final class Analyzer {

    /** HTTP statuses a proxy or CDN returns while the back end restarts. */
    private static final Set<Integer> BLIP_STATUSES = Set.of(502, 503, 504, 520, 521, 522, 523, 524);
    private static final Set<ErrorClass> BLIP_ERRORS = Set.of(ErrorClass.CONNECT_REFUSED, ErrorClass.CONNECTION_RESET);

    /** How late a stored check may become visible to the analyzer before its stream counts as quiet. */
    private static final Duration STORE_SLACK = Duration.ofSeconds(5);

    /** Failures no restart produces, confirmed by two failing checks this far apart on every failing stream. */
    private static final Duration QUICK_SPAN = Duration.ofSeconds(10);

    /** The shortest passing run that ends an episode: a fast check's span, so a moment between two downs is not an up. */
    private static final Duration UP_SPAN = Duration.ofSeconds(10);
    private static final Set<Integer> QUICK_STATUSES = Set.of(404, 410);
    private static final Set<String> QUICK_ERRORS = Set.of(ErrorClass.DNS_NXDOMAIN.code(), ErrorClass.TLS_EXPIRED.code(),
            ErrorClass.TLS_HOSTNAME.code(), ErrorClass.TLS_UNTRUSTED.code(), ErrorClass.TARGET_BLOCKED.code(),
            ErrorClass.ASSERTION_FAILED.code());

    private final Settings settings;

    public Analyzer(Settings settings) {
        this.settings = settings;
    }

    /** The new state and the events of this step, oldest first. */
    public record Step(MonitorState state, List<Event> events) {
    }

    public Step step(MonitorState state, Policy policy, List<Sample> samples, Context context) {
        Run run = new Run(state, policy, context);
        // One check slot yields a sample per resolver within milliseconds: judge them together, second by second.
        var bySecond = new TreeMap<Instant, List<Sample>>();
        for (Sample s : samples) {
            bySecond.computeIfAbsent(s.at().truncatedTo(ChronoUnit.SECONDS), k -> new ArrayList<>()).add(s);
        }
        bySecond.forEach((second, group) -> {
            boolean any = false;
            for (Sample s : group.stream().sorted(Comparator.comparing(Sample::at)).toList()) {
                any |= run.absorb(s);
            }
            if (any) {
                run.evaluate(group.stream().map(Sample::at).max(Comparator.naturalOrder()).orElseThrow());
            }
        });
        run.evaluate(context.now());
        return new Step(run.state(), List.copyOf(run.events));
    }

    /**
     * How often every region checks the monitor now: {@code null} for its own interval; {@code fast} while failures or a
     * recovery are being confirmed; {@code precise} once a suspected failure is within two fast checks of its window, so
     * that the checks around the window's end tell a blip just under it from an outage just over it (at {@code fast}
     * alone, a 65 s outage and a 55 s blip can show the same failing checks).
     */
    public static Duration recheckEvery(MonitorState s, Policy policy, Duration fast, Duration precise) {
        if (!s.hurry()) {
            return null;
        }
        if (s.phase() == Phase.SUSPECT) {
            Duration near = policy.window().minus(fast.multipliedBy(2));
            boolean close = s.streams().values().stream().filter(x -> !x.latest().ok())
                    .anyMatch(x -> Duration.between(x.failedFrom(), x.latest().at()).compareTo(near) >= 0);
            if (close) {
                return precise;
            }
        }
        return fast;
    }

    /**
     * Whether every failure of the episode is of a kind no restart produces (a missing name, a bad certificate, a page
     * gone, content failing on a good answer, a blocked target): waiting out the window would only delay the page.
     */
    static boolean quickKind(Evidence v) {
        return v.failures() > 0 && v.statuses().stream().allMatch(s -> s < 400 || QUICK_STATUSES.contains(s))
                && v.errorClasses().stream().allMatch(QUICK_ERRORS::contains);
    }

    /** Whether a failing sample is of the kind a back end restart causes. */
    static boolean blipKind(Sample s) {
        return (s.status() != null && BLIP_STATUSES.contains(s.status()))
                || (s.status() == null && BLIP_ERRORS.contains(s.errorClass()));
    }

    /** Who produced a failure: "edge:cloudflare", "origin:nginx", "connection", "dns", "tls", "protocol", "content". */
    static String layer(Sample s) {
        if (s.status() != null && s.status() >= 400) {
            return switch (s.errorSource()) {
                case EDGE -> "edge:" + first(s.generator(), s.cdnProvider(), "cdn");
                case ORIGIN -> "origin:" + first(s.generator(), "server");
                default -> (s.cdnProvider() != null ? "behind:" + s.cdnProvider() : "server:" + first(s.generator(), "unknown"));
            };
        }
        if (s.errorClass() == null) {
            return "unknown";
        }
        return switch (s.errorClass()) {
            case DNS_NXDOMAIN, DNS_SERVFAIL, DNS_TIMEOUT, DNS_NO_ADDRESS -> "dns";
            case TLS_HANDSHAKE, TLS_EXPIRED, TLS_HOSTNAME, TLS_UNTRUSTED -> "tls";
            case CONNECT_REFUSED, CONNECT_TIMEOUT, CONNECTION_RESET, READ_TIMEOUT, TARGET_BLOCKED -> "connection";
            case MALFORMED_RESPONSE, TOO_MANY_REDIRECTS, BODY_TOO_LARGE -> "protocol";
            case ASSERTION_FAILED -> "content";
            case UNSTORABLE_RESULT -> "unknown";
        };
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** One step's working copy of the state. */
    private final class Run {
        private final Policy policy;
        private final Context context;
        private final Duration stale;
        private Phase phase;
        private final Map<String, StreamState> streams;
        private Episode episode;
        private Episode degraded;
        private Instant slowSince;
        private int fastRun;
        private final List<Instant> changes;
        private final Map<String, Flip> flips;
        private boolean failing;
        private final List<Event> events = new ArrayList<>();

        Run(MonitorState s, Policy policy, Context context) {
            this.policy = policy;
            this.context = context;
            // A stream with nothing newer than two intervals (and some slack for a slow check) has stopped reporting.
            this.stale = policy.interval().multipliedBy(2).plusSeconds(30);
            this.phase = s.phase();
            this.streams = new LinkedHashMap<>(s.streams());
            this.episode = s.episode();
            this.degraded = s.degraded();
            this.slowSince = s.slowSince();
            this.fastRun = s.fastRun();
            this.changes = new ArrayList<>(s.changes());
            this.flips = new LinkedHashMap<>(s.flips());
            this.failing = s.failing();
        }

        MonitorState state() {
            return new MonitorState(phase, Map.copyOf(streams), episode, degraded, slowSince, fastRun, List.copyOf(changes), failing,
                    Map.copyOf(flips));
        }

        /** Takes a sample in; false if it tells nothing new (its stream already has newer news). */
        boolean absorb(Sample s) {
            StreamState old = streams.get(s.stream());
            if (old != null && !s.at().isAfter(old.latest().at())) {
                StreamState late = old.late(s);
                if (late == old) {
                    return false;
                }
                streams.put(s.stream(), late);
                if (episode != null) {
                    episode = withEvidence(episode, s);
                }
                return true;
            }
            streams.put(s.stream(), (old == null ? StreamState.empty() : old).next(s));
            flip(s);
            if (!s.ok() && episode != null) {
                episode = withEvidence(episode, s);
            }
            if (s.ok() && degraded != null) {
                degraded = withSlowest(degraded, s);
            }
            return true;
        }

        void evaluate(Instant t) {
            List<StreamState> view = view(t);
            List<StreamState> failingNow = view.stream().filter(x -> !x.latest().ok()).toList();
            boolean isFailing = !failingNow.isEmpty();
            boolean cleared = !view.isEmpty() && !isFailing && view.stream().allMatch(this::passedEnough);
            switch (phase) {
                case UP -> {
                    if (isFailing) {
                        begin(t, failingNow);
                    } else {
                        latency(t, view);
                    }
                }
                case SUSPECT -> {
                    boolean endedLate = lastedTheWindow(view, deployment(episode.start(), t), t);
                    if (cleared && !endedLate) {
                        clear(recoveredAt(view));
                    } else if (flapping(t, settings.flapSpan())) {
                        episode = explained(new Episode(episode.incidentId(), Classification.FLAPPING, firstRecentChange(t), t, null,
                                Scopes.of(view), episode.evidence(), null, null), t);
                        phase = Phase.FLAPPING;
                        events.add(new Event(Event.Type.OPENED, t, episode));
                    } else if (isFailing || endedLate) {
                        Deployment deploy = deployment(episode.start(), t);
                        Scope scope = Scopes.of(view);
                        if (confirmed(t, view, failingNow, deploy)) {
                            scope = Scopes.of(asOf(view, decidedAt(view, t)));
                            Classification kind = Scopes.verdict(scope);
                            episode = explained(new Episode(episode.incidentId(), kind, episode.start(), t, null, scope,
                                    episode.evidence(), null, deploy == null ? null : deploy.id()), t);
                            phase = Phase.DOWN;
                            events.add(new Event(Event.Type.OPENED, t, episode));
                        } else if (scope.failingStreams() >= episode.scope().failingStreams()) {
                            episode = explained(withScope(episode, scope, deploy), t);
                        }
                    }
                }
                case DOWN -> {
                    if (cleared && (flapping(t, settings.flapQuiet()) || upAndDownLately(t))) {
                        // Passing again, but after a spell of changes: no "recovered" until it has been quiet a while.
                        episode = explained(new Episode(episode.incidentId(), Classification.FLAPPING, episode.start(),
                                episode.confirmedAt(), null, episode.scope(), episode.evidence(), null, episode.deploymentId()), t);
                        phase = Phase.FLAPPING;
                    } else if (cleared) {
                        recover(recoveredAt(view));
                    } else if (isFailing) {
                        Scope scope = Scopes.of(view);
                        if (episode.kind() == Classification.PARTIAL && Scopes.verdict(Scopes.of(sustained(view, t))) == Classification.OUTAGE) {
                            episode = explained(new Episode(episode.incidentId(), Classification.OUTAGE, episode.start(),
                                    episode.confirmedAt(), null, scope, episode.evidence(), null, episode.deploymentId()), t);
                            events.add(new Event(Event.Type.ESCALATED, t, episode));
                        } else if (episode.kind() == Classification.PARTIAL) {
                            episode = explained(withScope(episode, scope, null), t);
                        }
                    }
                }
                case FLAPPING -> {
                    if (isFailing && failingNow.size() == view.size()
                            && failingNow.stream().anyMatch(x -> runLastedTheWindow(x, t))) {
                        Scope scope = Scopes.of(view);
                        episode = explained(new Episode(episode.incidentId(), Scopes.verdict(scope), episode.start(),
                                episode.confirmedAt(), null, scope, episode.evidence(), null, null), t);
                        phase = Phase.DOWN;
                        events.add(new Event(Event.Type.ESCALATED, t, episode));
                    } else if (cleared && lastChange().plus(settings.flapQuiet()).compareTo(t) <= 0) {
                        recover(recoveredAt(view));
                    }
                }
            }
            failing = isFailing;
        }

        /**
         * A stream whose failing checks span the window confirms; so does an episode whose checks have not settled in
         * twice the window (intermittent failures), while a rolling deploy that blips one region after another does not.
         * Both are judged on the stored checks' own times, not on the analyzer's clock: a passing check that ran but is
         * not stored yet must not stretch a blip into an outage. A deployment marker holds both off until its limit.
         */
        private boolean confirmed(Instant t, List<StreamState> view, List<StreamState> failingNow, Deployment deploy) {
            if (heldOff(deploy, t)) {
                return false;
            }
            if (policy.quickConfirmation() && quickKind(episode.evidence())
                    && failingNow.stream().allMatch(x -> !x.latest().at().isBefore(x.failingSince().plus(QUICK_SPAN)))) {
                return true;
            }
            Instant newest = view.stream().map(x -> evidenceEnd(x, t)).max(Comparator.naturalOrder()).orElse(t);
            return failingNow.stream().anyMatch(x -> runLastedTheWindow(x, t)) || lastedTheWindow(view, deploy, t)
                    || !episode.start().isAfter(newest.minus(policy.window().multipliedBy(2)));
        }

        private boolean heldOff(Deployment deploy, Instant t) {
            return deploy != null && deploy.limit(settings.deployLimit()).isAfter(t);
        }

        /**
         * A stream passing again whose last failing run, in this episode, lasted the window by checks stored late (the
         * decisive failure came after a newer pass): an outage that has already ended is still an outage, unless it ended
         * inside a deployment marker's hold.
         */
        private boolean lastedTheWindow(List<StreamState> view, Deployment deploy, Instant t) {
            return view.stream().anyMatch(x -> x.latest().ok() && lastRunInEpisode(x) && runLastedTheWindow(x, t)
                    && (deploy == null || x.failedUntil().isAfter(deploy.limit(settings.deployLimit()))));
        }

        /**
         * Whether the stream's current failing run (up to {@link #evidenceEnd}) or, once it passes again, its last one
         * (up to its newest failing check) lasted the window.
         */
        private boolean runLastedTheWindow(StreamState x, Instant t) {
            Instant end = x.latest().ok() ? x.failedUntil() : evidenceEnd(x, t);
            return Duration.between(x.failedFrom(), end).compareTo(policy.window()) >= 0;
        }

        private boolean lastRunInEpisode(StreamState x) {
            return x.lastFail() != null && !x.lastFail().at().isBefore(episode.start());
        }

        /** When the confirming evidence was complete: the newest failing check of the streams whose failure lasted the window. */
        private Instant decidedAt(List<StreamState> view, Instant t) {
            return view.stream().filter(x -> lastRunInEpisode(x) && runLastedTheWindow(x, t))
                    .map(x -> x.lastFail().at()).max(Comparator.naturalOrder()).orElse(t);
        }

        /**
         * The view as it stood at {@code at}: a stream that has passed only since then was failing then (its checks and
         * the others' are stored in any order), so an outage of everything ending as it is confirmed is not a partial.
         */
        private List<StreamState> asOf(List<StreamState> view, Instant at) {
            return view.stream().map(x -> x.latest().ok() && x.okSince().isAfter(at) && lastRunInEpisode(x)
                    ? new StreamState(x.lastFail(), 0, null, x.lastFail().at(), x.lastOkAt(), x.lastFail(), x.failedFrom()) : x).toList();
        }

        /**
         * The stream has passed enough to close an episode: the success threshold, over at least {@link #UP_SPAN} (two
         * passes a second apart may both fall into a short up between two downs).
         */
        private boolean passedEnough(StreamState x) {
            return x.okRun() >= policy.successThreshold() && !x.latest().at().isBefore(x.okSince().plus(UP_SPAN));
        }

        /**
         * The newest time the stream's checks speak for: the end of its latest check (a timeout saw no answer for its
         * whole length), or now once its next check is overdue (due an interval later, taking up to another, and then
         * stored): a stream that has gone quiet has not recovered.
         */
        private Instant evidenceEnd(StreamState x, Instant t) {
            Instant overdue = x.latest().at().plus(policy.interval().multipliedBy(2)).plus(STORE_SLACK);
            return t.isAfter(overdue) ? t : x.latest().end();
        }

        private void begin(Instant t, List<StreamState> failingNow) {
            StreamState earliest = failingNow.stream().min(Comparator.comparing(StreamState::failingSince)).orElseThrow();
            Instant start = earliest.failingSince();
            noteChange(start);
            Episode e = new Episode(null, Classification.SUSPECT, start, null, null, Scopes.of(view(t)),
                    emptyEvidence(earliest.lastOkAt()), null, null);
            for (StreamState x : failingNow) {
                e = withEvidence(e, x.latest());
            }
            if (flapping(t, settings.flapSpan())) {
                episode = explained(new Episode(null, Classification.FLAPPING, firstRecentChange(t), t, null, e.scope(), e.evidence(),
                        null, null), t);
                phase = Phase.FLAPPING;
                events.add(new Event(Event.Type.OPENED, t, episode));
            } else {
                episode = explained(e, t);
                phase = Phase.SUSPECT;
                events.add(new Event(Event.Type.SUSPECTED, t, episode));
            }
        }

        private void clear(Instant end) {
            Deployment deploy = deployment(episode.start(), end);
            Classification kind = deploy != null || episode.evidence().blipKind() ? Classification.DEPLOY_BLIP : Classification.TRANSIENT;
            episode = explained(new Episode(episode.incidentId(), kind, episode.start(), null, end, episode.scope(),
                    episode.evidence(), null, deploy == null ? null : deploy.id()), end);
            events.add(new Event(Event.Type.CLEARED, end, episode));
            noteChange(end);
            episode = null;
            phase = Phase.UP;
        }

        private void recover(Instant end) {
            episode = explained(new Episode(episode.incidentId(), episode.kind(), episode.start(), episode.confirmedAt(), end,
                    episode.scope(), episode.evidence(), null, episode.deploymentId()), end);
            events.add(new Event(Event.Type.RECOVERED, end, episode));
            noteChange(end);
            episode = null;
            phase = Phase.UP;
        }

        /** The latency track: only judged while every check passes. */
        private void latency(Instant t, List<StreamState> view) {
            Integer limit = policy.maxResponseTimeMs();
            if (limit == null || view.isEmpty()) {
                return;
            }
            List<StreamState> slow = view.stream().filter(x -> x.latest().totalMs() > limit).toList();
            if (slow.size() * 2 > view.size()) {
                fastRun = 0;
                if (slowSince == null) {
                    slowSince = slow.stream().map(x -> x.latest().at()).min(Comparator.naturalOrder()).orElse(t);
                }
                if (degraded == null && !slowSince.plus(policy.window()).isAfter(t)) {
                    Episode d = new Episode(null, Classification.DEGRADED, slowSince, t, null, Scopes.latency(view, limit),
                            emptyEvidence(null), null, null);
                    for (StreamState x : view) {
                        d = withSlowest(d, x.latest());
                    }
                    degraded = explained(d, t);
                    events.add(new Event(Event.Type.OPENED, t, degraded));
                } else if (degraded != null) {
                    degraded = explained(new Episode(degraded.incidentId(), degraded.kind(), degraded.start(),
                            degraded.confirmedAt(), null, Scopes.latency(view, limit), degraded.evidence(), null, null), t);
                }
            } else {
                slowSince = null;
                if (degraded != null && ++fastRun >= policy.successThreshold() * view.size()) {
                    degraded = explained(new Episode(degraded.incidentId(), degraded.kind(), degraded.start(),
                            degraded.confirmedAt(), t, degraded.scope(), degraded.evidence(), null, null), t);
                    events.add(new Event(Event.Type.RECOVERED, t, degraded));
                    degraded = null;
                    fastRun = 0;
                }
            }
        }

        /** The latest sample of every stream whose region is live and which still reports. */
        private List<StreamState> view(Instant t) {
            Instant cutoff = t.minus(stale);
            return streams.values().stream()
                    .filter(x -> context.liveRegions().contains(x.latest().region()) && x.latest().at().isAfter(cutoff))
                    .toList();
        }

        /**
         * The view with only failures known to have lasted a whole window: younger failures are left out (counting them
         * as passes would make a partial look mixed while its streams reach the window one after another).
         */
        private List<StreamState> sustained(List<StreamState> view, Instant t) {
            return view.stream().filter(x -> x.latest().ok() || runLastedTheWindow(x, t)).toList();
        }

        /** When the last stream to recover passed for the first time. */
        private Instant recoveredAt(List<StreamState> view) {
            return view.stream().map(StreamState::okSince).max(Comparator.naturalOrder()).orElseThrow();
        }

        private Deployment deployment(Instant from, Instant to) {
            return context.deployments().stream().filter(d -> d.covers(from, to, settings.deployLimit()))
                    .max(Comparator.comparing(d -> d.limit(settings.deployLimit()))).orElse(null);
        }

        /**
         * Records the sample in its stream's history through its address: a change (failing ↔ passing) counts toward
         * flapping, unless a deployment explains it. Changes are counted as checks see them, also inside an episode: a
         * site down 15 s / up 15 s never passes twice in a row, so its episode would never end to be counted.
         */
        private void flip(Sample s) {
            String key = s.stream() + "@" + (s.resolvedIp() == null ? "-" : s.resolvedIp());
            Instant since = s.at().minus(settings.flapSpan());
            flips.values().removeIf(f -> f.seen().isBefore(since));
            Flip old = flips.get(key);
            List<Instant> mine = new ArrayList<>(old == null ? List.of() : old.changes());
            if (old != null && old.failing() == s.ok() && deployment(s.at(), s.at()) == null) {
                mine.add(s.at());
            }
            mine.removeIf(c -> c.isBefore(since));
            while (mine.size() > settings.flapChanges()) {
                mine.remove(0);
            }
            flips.put(key, new Flip(!s.ok(), s.at(), List.copyOf(mine)));
        }

        /** Records an episode's start or end for flapping (many short episodes), unless a deployment explains it. */
        private void noteChange(Instant at) {
            changes.removeIf(c -> c.isBefore(at.minus(settings.flapSpan())));
            if (deployment(at, at) == null) {
                changes.add(at);
            }
        }

        /**
         * Flapping: within {@code span}, one stream through one address changed the flapping count of times (also inside
         * one long episode), or the monitor's episodes began and ended that often (short failures seen by different
         * regions in turn). A rolling deploy changes each stream only twice.
         */
        private boolean flapping(Instant t, Duration span) {
            Instant since = t.minus(span);
            return recent(changes.stream(), since) >= settings.flapChanges()
                    || flips.values().stream().anyMatch(f -> recent(f.changes().stream(), since) >= settings.flapChanges());
        }

        /** A stream came up and went down again within the last two windows before this pass: not a clean recovery. */
        private boolean upAndDownLately(Instant t) {
            Instant since = t.minus(policy.window().multipliedBy(2));
            return flips.values().stream().anyMatch(f -> recent(f.changes().stream(), since) >= 3);
        }

        private static long recent(java.util.stream.Stream<Instant> times, Instant since) {
            return times.filter(c -> c.isAfter(since)).count();
        }

        private java.util.stream.Stream<Instant> allChanges() {
            return java.util.stream.Stream.concat(changes.stream(), flips.values().stream().flatMap(f -> f.changes().stream()));
        }

        private Instant firstRecentChange(Instant t) {
            return allChanges().filter(c -> c.isAfter(t.minus(settings.flapSpan()))).min(Comparator.naturalOrder()).orElse(t);
        }

        private Instant lastChange() {
            return allChanges().max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        }

        private Episode explained(Episode e, Instant t) {
            return e.withExplanation(Explainer.explain(e, policy, t));
        }
    }

    private Episode withScope(Episode e, Scope scope, Deployment deploy) {
        return new Episode(e.incidentId(), e.kind(), e.start(), e.confirmedAt(), e.endedAt(), scope, e.evidence(),
                e.explanation(), deploy == null ? e.deploymentId() : Long.valueOf(deploy.id()));
    }

    private static Evidence emptyEvidence(Instant lastPassAt) {
        return new Evidence(0, new TreeSet<>(), new TreeSet<>(), new TreeMap<>(), true, List.of(), List.of(), 0, lastPassAt, null);
    }

    private Episode withEvidence(Episode e, Sample s) {
        Evidence v = e.evidence();
        SortedSet<Integer> statuses = new TreeSet<>(v.statuses());
        if (s.status() != null) {
            statuses.add(s.status());
        }
        SortedSet<String> classes = new TreeSet<>(v.errorClasses());
        if (s.errorClass() != null) {
            classes.add(s.errorClass().code());
        }
        SortedMap<String, Integer> layers = new TreeMap<>(v.layers());
        layers.merge(layer(s), 1, Integer::sum);
        Kept kept = keep(v, s);
        return e.withEvidence(new Evidence(v.failures() + 1, statuses, classes, layers, v.blipKind() && blipKind(s), kept.first(),
                kept.latest(), v.slowestMs(), v.lastPassAt(),
                v.lastFailAt() == null || s.at().isAfter(v.lastFailAt()) ? s.at() : v.lastFailAt()));
    }

    private Episode withSlowest(Episode e, Sample s) {
        Evidence v = e.evidence();
        Kept kept = keep(v, s);
        return e.withEvidence(new Evidence(v.failures(), v.statuses(), v.errorClasses(), v.layers(), false, kept.first(),
                kept.latest(), Math.max(v.slowestMs(), s.totalMs()), v.lastPassAt(), v.lastFailAt()));
    }

    private record Kept(List<Sample> first, List<Sample> latest) {
    }

    /** The evidence samples with {@code s} taken in: the first ones seen, and the latest of each stream, half each. */
    private Kept keep(Evidence v, Sample s) {
        int half = Math.max(1, settings.evidenceSamples() / 2);
        List<Sample> first = new ArrayList<>(v.first());
        if (first.size() < half) {
            first.add(s);
        }
        List<Sample> latest = new ArrayList<>(v.latest());
        latest.removeIf(x -> x.stream().equals(s.stream()));
        latest.add(s);
        while (latest.size() > half) {
            latest.remove(0);
        }
        return new Kept(first, latest);
    }
}
