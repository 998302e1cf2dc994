package dev.gatewatch.check.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.CheckTask;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.Timings;
import dev.gatewatch.check.cdn.CdnParser;
import dev.gatewatch.check.cdn.EdgeInfo;
import dev.gatewatch.monitor.validation.ResolverSpec;
import dev.gatewatch.target.AddressGate;
import dev.gatewatch.target.AddressPolicy;
import dev.gatewatch.target.HostLiteral;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;

/**
 * Fetches a monitor's URL through one DNS resolver: resolve with that resolver, connect to the address it returned on a
 * fresh connection, TLS with the URL's host as SNI, one HTTP/1.1 exchange with the URL's Host header, and time every
 * phase. Everything runs on Vert.x event loops; the system resolver, which blocks, and judging large bodies or tenants'
 * patterns run on bounded worker pools of their own, so neither holds an event loop.
 */
public final class Probe implements AutoCloseable {

    /**
     * @param bodyLimit      bytes of body read for assertions; more fails the check as body_too_large
     * @param errorBodyLimit bytes of an error response's body kept with the result
     * @param assertionThreads threads judging bodies off the event loop, shared by every check of this node
     * @param assertionBudget  longest one check's judging may take (and never past the monitor's timeout)
     */
    public record Settings(int bodyLimit, int errorBodyLimit, String userAgent, List<Path> extraTrust,
            int systemResolverThreads, int assertionThreads, Duration assertionBudget) {
    }

    private static final int DNS_QUERY_TIMEOUT_MS = 10_000;
    /**
     * UDP sockets per explicit resolver, used in turn. One socket's receive buffer (the kernel default, which a DNS
     * client cannot raise) overflowed at ~350 queries/s per resolver on a busy 2-core checker: the kernel dropped one
     * answer in six and those checks failed as DNS timeouts. Each socket is served by the event loop it was made on.
     */
    private static final int DNS_SOCKETS_PER_RESOLVER = 4;

    private final Vertx vertx;
    private final Settings settings;
    private final AddressGate guard;
    private final NetClient net;
    private final WorkerExecutor systemResolver;
    private final WorkerExecutor judges;
    private final Map<String, Future<DnsClient>> dnsClients = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger dnsTurn = new java.util.concurrent.atomic.AtomicInteger();

    /** @param guard why an address may not be fetched (the SSRF guard), checked on every hop after resolution */
    public Probe(Vertx vertx, Settings settings, AddressGate guard) {
        this.vertx = vertx;
        this.settings = settings;
        this.guard = guard;
        CertificateCapture trust;
        try {
            trust = CertificateCapture.create(settings.extraTrust());
        } catch (Exception e) {
            throw new IllegalStateException("cannot load trusted certificates " + settings.extraTrust() + ": " + e.getMessage(), e);
        }
        // TLS is started by hand after connecting (upgradeToSsl), so connect and handshake are timed apart
        this.net = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout(60_000)
                .setTcpNoDelay(true)
                .setTrustOptions(TrustOptions.wrap(trust))
                .setHostnameVerificationAlgorithm("HTTPS"));
        this.systemResolver = vertx.createSharedWorkerExecutor("gatewatch-system-resolver", settings.systemResolverThreads());
        this.judges = vertx.createSharedWorkerExecutor("gatewatch-assertions", settings.assertionThreads());
    }

    /** Checks the task's URL through one resolver; the future always succeeds, failures are in the result. */
    public Future<CheckResult> check(CheckTask task, ResolverSpec resolver, String checkerId) {
        Context context = vertx.getOrCreateContext();
        Attempt attempt = new Attempt(task, resolver, checkerId, context);
        context.runOnContext(v -> attempt.start());
        return attempt.promise.future();
    }

    @Override
    public void close() {
        net.close();
        systemResolver.close();
        judges.close();
        dnsClients.values().forEach(f -> f.onSuccess(DnsClient::close));
    }

    /**
     * The DNS client for an explicit resolver, made once per socket. The resolver's own address passes the SSRF guard first, so a
     * resolver inside a refused network is never asked.
     */
    private Future<DnsClient> dnsClient(ResolverSpec resolver) {
        String key = resolver.text() + "#" + Math.floorMod(dnsTurn.getAndIncrement(), DNS_SOCKETS_PER_RESOLVER);
        Future<DnsClient> client = dnsClients.computeIfAbsent(key, k -> systemResolver.<InetAddress>executeBlocking(() -> {
            String host = resolver.host().orElseThrow();
            InetAddress address;
            try {
                Optional<InetAddress> literal = HostLiteral.parse(host);
                address = literal.isPresent() ? literal.get() : InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new Failure(ErrorClass.DNS_TIMEOUT, "the resolver's own name " + host + " does not resolve");
            }
            // Only the category: a resolver given by name was looked up by the system resolver, whose answer stays private.
            Optional<AddressPolicy.Refusal> refusal = guard.classifyResolver(address, resolver.port());
            if (refusal.isPresent()) {
                throw new Failure(ErrorClass.TARGET_BLOCKED, "the resolver " + resolver.text() + " is refused: "
                        + refusal.get().category() + "; not asked");
            }
            return address;
        }, false).map(address -> // made back on the event loop, so its UDP channel is registered before the first query
                vertx.createDnsClient(new DnsClientOptions().setHost(address.getHostAddress()).setPort(resolver.port())
                        .setQueryTimeout(DNS_QUERY_TIMEOUT_MS).setRecursionDesired(true))));
        client.onFailure(e -> {
            if (!(e instanceof Failure f && f.errorClass == ErrorClass.TARGET_BLOCKED)) {
                dnsClients.remove(key, client); // try its name again next time
            }
        });
        return client;
    }

    private enum Phase { DNS, CONNECT, TLS, WAIT, READ, JUDGE }

    private static final class Failure extends Exception {
        final ErrorClass errorClass;

        Failure(ErrorClass errorClass, String message) {
            super(message, null, false, false);
            this.errorClass = errorClass;
        }
    }

    /** One check: its state lives on one Vert.x context, so it needs no locking. */
    private final class Attempt {
        final CheckTask task;
        final ResolverSpec resolver;
        final String checkerId;
        final Context context;
        final Promise<CheckResult> promise = Promise.promise();
        final Instant startedAt = Instant.now();
        final long t0 = System.nanoTime();
        long dnsNs = -1, connectNs = -1, tlsNs = -1, ttfbNs = -1, downloadNs = -1;
        long phaseStart;
        Phase phase = Phase.DNS;
        boolean done;
        long timer;
        URI current;
        String resolvedIp;
        int redirects;
        String method;
        String requestBody;
        NetSocket socket;
        HttpResponseReader reader;
        Instant tlsExpiry;

        Attempt(CheckTask task, ResolverSpec resolver, String checkerId, Context context) {
            this.task = task;
            this.resolver = resolver;
            this.checkerId = checkerId;
            this.context = context;
            this.method = task.method();
            this.requestBody = task.body();
        }

        void start() {
            timer = vertx.setTimer(task.timeoutMs(), id -> timedOut());
            hop(task.url());
        }

        void hop(URI url) {
            current = url;
            String host = hostOf(url);
            Optional<InetAddress> literal;
            try {
                literal = HostLiteral.parse(host);
            } catch (IllegalArgumentException e) {
                fail(ErrorClass.DNS_NO_ADDRESS, "the host '" + host + "' is not valid: " + e.getMessage());
                return;
            }
            if (literal.isPresent()) {
                connect(literal.get());
                return;
            }
            phase = Phase.DNS;
            phaseStart = System.nanoTime();
            resolve(host).onComplete(ar -> {
                if (done) {
                    return;
                }
                dnsNs = add(dnsNs, System.nanoTime() - phaseStart);
                if (ar.failed()) {
                    failWith(ar.cause());
                } else {
                    connect(ar.result());
                }
            });
        }

        Future<InetAddress> resolve(String host) {
            if (resolver.system()) {
                return systemResolver.executeBlocking(() -> {
                    try {
                        return InetAddress.getAllByName(host)[0];
                    } catch (UnknownHostException e) {
                        throw new Failure(ErrorClass.DNS_NXDOMAIN, "the system resolver has no address for " + host);
                    }
                }, false);
            }
            return dnsClient(resolver).compose(dns -> dns.resolveA(host)
                    .compose(v4 -> v4.isEmpty() ? dns.resolveAAAA(host) : Future.succeededFuture(v4)))
                    .recover(e -> Future.failedFuture(dnsFailure(host, e)))
                    .compose(addresses -> {
                        if (addresses.isEmpty()) {
                            return Future.failedFuture(new Failure(ErrorClass.DNS_NO_ADDRESS,
                                    resolver.text() + " has no A or AAAA record for " + host));
                        }
                        return Future.succeededFuture(HostLiteral.parse(addresses.get(0)).orElseThrow());
                    });
        }

        Failure dnsFailure(String host, Throwable e) {
            if (e instanceof Failure f) {
                return f;
            }
            if (e instanceof DnsException dns) {
                DnsResponseCode code = dns.code();
                if (code == DnsResponseCode.NXDOMAIN) {
                    return new Failure(ErrorClass.DNS_NXDOMAIN, resolver.text() + " says " + host + " does not exist (NXDOMAIN)");
                }
                return new Failure(ErrorClass.DNS_SERVFAIL, resolver.text() + " failed to answer for " + host + " (" + code + ")");
            }
            String text = String.valueOf(e.getMessage());
            if (text.toLowerCase(Locale.ROOT).contains("timeout") || text.toLowerCase(Locale.ROOT).contains("timed out")) {
                return new Failure(ErrorClass.DNS_TIMEOUT, resolver.text() + " did not answer for " + host);
            }
            return new Failure(ErrorClass.DNS_SERVFAIL, resolver.text() + " could not be asked about " + host + ": " + text);
        }

        void connect(InetAddress address) {
            Optional<AddressPolicy.Refusal> refusal = guard.classify(address, port(current));
            if (refusal.isPresent()) {
                // Neither the message nor the result names the refused address: it may be an internal DNS answer.
                fail(ErrorClass.TARGET_BLOCKED, "the address for " + current.getHost() + " is " + refusal.get().category()
                        + "; not fetched");
                return;
            }
            String ip = HostLiteral.format(address);
            if (resolvedIp == null) {
                resolvedIp = ip;
            }
            phase = Phase.CONNECT;
            phaseStart = System.nanoTime();
            net.connect(port(current), address.getHostAddress()).onComplete(ar -> {
                if (done) {
                    if (ar.succeeded()) {
                        ar.result().close();
                    }
                    return;
                }
                connectNs = add(connectNs, System.nanoTime() - phaseStart);
                if (ar.failed()) {
                    failWith(connectFailure(ip, ar.cause()));
                    return;
                }
                socket = ar.result();
                socket.exceptionHandler(this::socketFailed);
                socket.closeHandler(v -> closed());
                if (current.getScheme().equals("https")) {
                    handshake();
                } else {
                    send();
                }
            });
        }

        Failure connectFailure(String ip, Throwable e) {
            String text = String.valueOf(e.getMessage());
            String where = ip + ":" + port(current);
            if (e instanceof ConnectTimeoutException || text.contains("timed out")) {
                return new Failure(ErrorClass.CONNECT_TIMEOUT, "connecting to " + where + " timed out");
            }
            if (text.contains("refused")) {
                return new Failure(ErrorClass.CONNECT_REFUSED, "connection to " + where + " refused");
            }
            return new Failure(ErrorClass.CONNECT_TIMEOUT, "cannot connect to " + where + ": " + text);
        }

        void handshake() {
            phase = Phase.TLS;
            phaseStart = System.nanoTime();
            String host = hostOf(current);
            socket.upgradeToSsl(host).onComplete(ar -> {
                if (done) {
                    return;
                }
                tlsNs = add(tlsNs, System.nanoTime() - phaseStart);
                if (ar.failed()) {
                    CertificateCapture.TlsFailure tls = CertificateCapture.classify(ar.cause());
                    tlsExpiry = tls.leafExpiry();
                    fail(tls.errorClass(), tls.message());
                    return;
                }
                try {
                    var chain = socket.peerCertificates();
                    if (!chain.isEmpty() && chain.get(0) instanceof X509Certificate leaf) {
                        tlsExpiry = leaf.getNotAfter().toInstant();
                    }
                } catch (IOException e) {
                    // the handshake succeeded, so the peer certificate is there; without it only the expiry is missing
                }
                send();
            });
        }

        void send() {
            phase = Phase.WAIT;
            reader = new HttpResponseReader(method.equals("HEAD"), settings.bodyLimit());
            socket.handler(this::received);
            phaseStart = System.nanoTime();
            socket.write(Buffer.buffer(request()));
        }

        byte[] request() {
            String target = Optional.ofNullable(current.getRawPath()).filter(p -> !p.isEmpty()).orElse("/")
                    + (current.getRawQuery() == null ? "" : "?" + current.getRawQuery());
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            Map<String, String> own = task.headers();
            java.util.Set<String> named = new java.util.HashSet<>();
            own.keySet().forEach(k -> named.add(k.toLowerCase(Locale.ROOT)));
            header(head, named, "Host", hostHeader(current));
            header(head, named, "User-Agent", settings.userAgent());
            header(head, named, "Accept", "*/*");
            header(head, named, "Accept-Encoding", "gzip, deflate");
            own.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Connection: close\r\n");
            byte[] body = requestBody == null ? new byte[0] : requestBody.getBytes(StandardCharsets.UTF_8);
            if (requestBody != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, all, 0, headBytes.length);
            System.arraycopy(body, 0, all, headBytes.length, body.length);
            return all;
        }

        void header(StringBuilder head, java.util.Set<String> named, String name, String value) {
            if (!named.contains(name.toLowerCase(Locale.ROOT))) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        }

        void received(Buffer data) {
            if (done) {
                return;
            }
            if (phase == Phase.WAIT) {
                ttfbNs = add(ttfbNs, System.nanoTime() - phaseStart);
                phase = Phase.READ;
                phaseStart = System.nanoTime();
            }
            if (reader.feed(data.getBytes())) {
                responseEnded();
            }
        }

        void closed() {
            if (done) {
                return;
            }
            if (reader == null) {
                if (phase != Phase.TLS) { // a closed handshake is reported by the handshake's own result
                    fail(ErrorClass.CONNECTION_RESET, "the server closed the connection before the request was sent");
                }
                return;
            }
            reader.closed();
            responseEnded();
        }

        void socketFailed(Throwable e) {
            if (done) {
                return;
            }
            String text = String.valueOf(e.getMessage());
            if (e instanceof SSLException && phase == Phase.TLS) {
                return; // reported by the handshake's own result
            }
            if (text.contains("reset") || text.contains("Broken pipe")) {
                fail(ErrorClass.CONNECTION_RESET, "the connection was reset by " + resolvedIp + " (" + phaseText() + ")");
            } else {
                fail(ErrorClass.CONNECTION_RESET, "the connection failed " + phaseText() + ": " + text);
            }
        }

        String phaseText() {
            return switch (phase) {
                case DNS, CONNECT -> "while connecting";
                case TLS -> "during the TLS handshake";
                case WAIT -> "before any response";
                case READ -> "while reading the response";
                case JUDGE -> "after the response";
            };
        }

        void responseEnded() {
            if (phase == Phase.READ) {
                downloadNs = add(downloadNs, System.nanoTime() - phaseStart);
            }
            NetSocket s = socket;
            socket = null;
            s.handler(null);
            s.closeHandler(null);
            s.close();
            if (reader.failed()) {
                if (reader.failure() == null) {
                    fail(ErrorClass.CONNECTION_RESET, "the server closed the connection without sending a response");
                } else {
                    fail(ErrorClass.MALFORMED_RESPONSE, reader.failure());
                }
                return;
            }
            int status = reader.status();
            String location = reader.header("location");
            if (task.followRedirects() && location != null && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)) {
                URI next;
                try {
                    next = current.resolve(location.strip());
                } catch (IllegalArgumentException e) {
                    finish(status, List.of("the redirect Location '" + location + "' is not a valid URL"));
                    return;
                }
                if (next.getScheme() != null && (next.getScheme().equalsIgnoreCase("http") || next.getScheme().equalsIgnoreCase("https")) && next.getHost() != null) {
                    if (redirects >= task.maxRedirects()) {
                        fail(ErrorClass.TOO_MANY_REDIRECTS, "more than " + task.maxRedirects() + " redirects; the last one went to " + next);
                        return;
                    }
                    redirects++;
                    if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
                        method = "GET"; // what browsers do
                        requestBody = null;
                    }
                    reader = null;
                    hop(next);
                    return;
                }
            }
            if (reader.tooLarge()) {
                fail(ErrorClass.BODY_TOO_LARGE, "the body is larger than " + settings.bodyLimit() + " bytes");
                return;
            }
            finish(status, null);
        }

        void timedOut() {
            if (done) {
                return;
            }
            String after = " within " + task.timeoutMs() + " ms";
            switch (phase) {
                case DNS -> fail(ErrorClass.DNS_TIMEOUT, resolver.text() + " did not answer for " + hostOf(current) + after);
                case CONNECT -> fail(ErrorClass.CONNECT_TIMEOUT, "could not connect to " + resolvedIp + ":" + port(current) + after);
                case TLS -> fail(ErrorClass.TLS_HANDSHAKE, "the TLS handshake did not finish" + after);
                case WAIT -> fail(ErrorClass.READ_TIMEOUT, "no response" + after);
                case READ -> fail(ErrorClass.READ_TIMEOUT, "the response did not finish" + after);
                case JUDGE -> notJudged("the assertions did not finish within the timeout of " + task.timeoutMs() + " ms");
            }
        }

        void failWith(Throwable e) {
            if (e instanceof Failure f) {
                fail(f.errorClass, f.getMessage());
            } else {
                fail(ErrorClass.CONNECTION_RESET, String.valueOf(e.getMessage()));
            }
        }

        void fail(ErrorClass errorClass, String message) {
            complete(false, reader != null && reader.headComplete() ? reader.status() : null, errorClass, message, List.of(), null, null);
        }

        /**
         * A complete response: judge it, off the event loop unless that is trivial. The worker gets values only and a
         * deadline (the budget, and never past the monitor's timeout, whose timer still runs); its result comes back
         * on this attempt's context.
         */
        void finish(int status, List<String> problems) {
            phase = Phase.JUDGE;
            byte[] raw = reader.body();
            String encoding = reader.header("content-encoding");
            String contentType = reader.header("content-type");
            if (problems != null || ResponseJudge.inline(task, raw.length, encoding)) {
                judged(status, ResponseJudge.judge(task, status, raw, encoding, contentType, problems, settings.bodyLimit(),
                        settings.errorBodyLimit(), Deadline.NONE));
                return;
            }
            long left = t0 + task.timeoutMs() * 1_000_000L - System.nanoTime();
            long budget = settings.assertionBudget().toNanos();
            Deadline deadline = Deadline.in(Math.min(left, budget));
            String within = left < budget ? "within the timeout of " + task.timeoutMs() + " ms"
                    : "within their budget of " + settings.assertionBudget().toMillis() + " ms";
            judges.<ResponseJudge.Judgement>executeBlocking(() -> ResponseJudge.judge(task, status, raw, encoding, contentType,
                    null, settings.bodyLimit(), settings.errorBodyLimit(), deadline), false).onComplete(ar -> {
                        if (done) {
                            return;
                        }
                        if (ar.succeeded()) {
                            judged(status, ar.result());
                        } else if (ar.cause() instanceof Deadline.Exceeded) {
                            notJudged("the assertions did not finish " + within);
                        } else {
                            notJudged("the assertions could not be judged: " + ar.cause());
                        }
                    });
        }

        void judged(int status, ResponseJudge.Judgement judgement) {
            List<String> failures = judgement.failures();
            String prefix = judgement.prefix();
            EdgeInfo edge = CdnParser.parse(status, reader.headers(), prefix);
            complete(failures.isEmpty(), status, failures.isEmpty() ? null : ErrorClass.ASSERTION_FAILED,
                    failures.isEmpty() ? null : failures.get(0), failures, edge, status >= 400 ? prefix : null);
        }

        /** Out of time or failed while judging: the response came, its body was not judged, so the check fails. */
        void notJudged(String message) {
            complete(false, reader.status(), ErrorClass.ASSERTION_FAILED, message, List.of(message), null, null);
        }

        void complete(boolean ok, Integer status, ErrorClass errorClass, String message, List<String> failures, EdgeInfo edge, String errorBody) {
            if (done) {
                return;
            }
            done = true;
            vertx.cancelTimer(timer);
            if (socket != null) {
                socket.handler(null);
                socket.closeHandler(null);
                socket.close();
                socket = null;
            }
            if (edge == null && reader != null && reader.headComplete()) {
                edge = CdnParser.parse(reader.status(), reader.headers(), "");
            }
            Timings timings = new Timings(ms(dnsNs), ms(connectNs), ms(tlsNs), ms(ttfbNs), ms(downloadNs),
                    (int) Math.round((System.nanoTime() - t0) / 1e6));
            Integer bodyBytes = reader != null && reader.headComplete() ? (int) Math.min(Integer.MAX_VALUE, reader.bodyBytes()) : null;
            promise.complete(new CheckResult(task.monitorId(), task.region(), resolver.text(), checkerId, task.dueAt(),
                    startedAt, ok, status, errorClass, message == null ? null : abbreviate(message, 500), timings, resolvedIp,
                    redirects, current == null ? null : current.toString(), bodyBytes, edge, errorBody, tlsExpiry, failures));
        }
    }

    private static String hostOf(URI url) {
        String host = url.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI url) {
        return url.getPort() >= 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
    }

    private static String hostHeader(URI url) {
        boolean defaultPort = url.getPort() < 0 || url.getPort() == (url.getScheme().equals("https") ? 443 : 80);
        return defaultPort ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    private static long add(long sum, long ns) {
        return sum < 0 ? ns : sum + ns;
    }

    private static Integer ms(long ns) {
        return ns < 0 ? null : (int) Math.round(ns / 1e6);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
