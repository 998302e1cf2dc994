package dev.gatewatch.alerting.channel;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.api.Durations;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.target.TargetGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * POSTs JSON to a receiver and sorts its answer into delivered / retry / permanent. Shared by Slack and webhooks.
 * A failure before the request went out (DNS, connect, TLS) is a plain retry; one after it (no answer within the
 * timeout, the connection cut) is {@linkplain Outcome#unconfirmed unconfirmed}: the receiver may have acted on it.
 */
@ApplicationScoped
public class HttpDelivery {

    private static final String USER_AGENT = "Gatewatch-Alerts/0.1";
    /** Bytes of an answer read; the status line decides, the rest is only shown to the owner. */
    private static final int ANSWER_LIMIT = 4096;

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;
    private final TargetGuard guard;

    public HttpDelivery(Vertx vertx, GatewatchConfig config, TargetGuard guard) {
        this.vertx = vertx;
        this.timeout = config.notifier().sendTimeout();
        // A fresh connection per send: on a kept-alive one the receiver had closed, a request would look unanswered.
        // The pool must not queue one channel's sends behind another's when both go to the same host (hooks.slack.com).
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout((int) timeout.toMillis()),
                new PoolOptions().setHttp1MaxSize(Math.max(16, 2 * config.notifier().senders())));
        this.guard = guard;
    }

    /** An http(s) URL whose host the SSRF guard accepts. */
    public void validateUrl(String field, String url, List<FieldError> errors) {
        if (url == null || url.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return;
        }
        try {
            URI u = URI.create(url.strip());
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                errors.add(new FieldError(field, "must be an http or https URL"));
                return;
            }
            guard.hostRefusal(u.getHost()).ifPresent(why -> errors.add(new FieldError(field, TargetGuard.PRIVATE_NETWORK + why)));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be an http or https URL"));
        }
    }

    /**
     * Sends, unless the host now resolves somewhere the SSRF guard refuses (it was checked when saved, DNS can change),
     * and connects to the address the guard checked, so a second lookup cannot be answered with another one.
     */
    public Outcome post(String url, Map<String, String> headers, String json) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Outcome.permanent("not a URL: " + e.getMessage());
        }
        String host = uri.getHost();
        TargetGuard.Admission admission = guard.admit(host);
        if (admission.refusal().isPresent()) {
            return Outcome.permanent("refused by the SSRF guard: " + admission.refusal().get());
        }
        if (admission.addresses().isEmpty()) {
            return Outcome.retry("could not resolve " + host, null);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // Host header and TLS name from the URL; the TCP connection to the checked address.
        SocketAddress checked = SocketAddress.inetSocketAddress(port, admission.addresses().get(0).getHostAddress());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setServer(checked).setHost(host).setPort(port)
                .setSsl(https).setURI(path).setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json").putHeader("User-Agent", USER_AGENT);
        headers.forEach(options::putHeader);
        // All on one event-loop context, so the answer's handlers are in place before any of it arrives.
        AtomicReference<Stage> stage = new AtomicReference<>(Stage.CONNECTING);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        AtomicReference<Answer> status = new AtomicReference<>();
        Promise<Answer> answer = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                answer.tryFail(new NotSent(connected.cause()));
            } else if (!stage.compareAndSet(Stage.CONNECTING, Stage.SENT)) {
                connected.result().reset(); // given up on while connecting: it must not go out now
            } else {
                sent.set(connected.result());
                connected.result().send(Buffer.buffer(json)).onSuccess(r -> read(r, status, answer)).onFailure(answer::tryFail);
            }
        }));
        try {
            // Up to the timeout to connect, then again for the answer.
            return await(answer.future(), timeout.multipliedBy(2).plusSeconds(1)).outcome();
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e.getCause() instanceof NotSent || stage.compareAndSet(Stage.CONNECTING, Stage.ABANDONED)) {
                return Outcome.retry(e.getCause() instanceof NotSent n ? "could not connect: " + n.getCause().getMessage()
                        : "could not connect within " + Durations.words(timeout), null);
            }
            Optional.ofNullable(sent.get()).ifPresent(HttpClientRequest::reset);
            Answer got = status.get();
            if (got != null) {
                return got.outcome();
            }
            String why = e instanceof TimeoutException || e.getCause() instanceof TimeoutException
                    ? "no answer within " + Durations.words(timeout) : "no answer: " + (e.getCause() == null ? e : e.getCause().getMessage());
            return Outcome.unconfirmed(why + " (the request went out; the receiver may have it)");
        }
    }

    private enum Stage { CONNECTING, SENT, ABANDONED }

    /** The connection failed: nothing went out. */
    private static final class NotSent extends Exception {
        NotSent(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** What a receiver answered, as far as it was read. */
    private record Answer(int status, String reason, String body, String retryAfter) {
        Outcome outcome() {
            return classify(status, reason, body, retryAfter);
        }
    }

    /** Reads the status at once and up to {@link #ANSWER_LIMIT} bytes of the body, so a receiver cannot feed it forever. */
    private static void read(HttpClientResponse r, AtomicReference<Answer> status, Promise<Answer> answer) {
        Buffer body = Buffer.buffer();
        status.set(new Answer(r.statusCode(), r.statusMessage(), "", r.getHeader("Retry-After")));
        Runnable done = () -> answer.tryComplete(new Answer(r.statusCode(), r.statusMessage(), body.toString(StandardCharsets.UTF_8),
                r.getHeader("Retry-After")));
        r.handler(chunk -> {
            int room = ANSWER_LIMIT - body.length();
            body.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
            if (body.length() >= ANSWER_LIMIT) {
                done.run();
                r.request().reset();
            }
        });
        r.endHandler(v -> done.run());
        r.exceptionHandler(e -> done.run());
    }

    private static <T> T await(Future<T> future, Duration within) throws ExecutionException, TimeoutException, InterruptedException {
        return future.toCompletionStage().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Outcome classify(int status, String reason, String body, String retryAfter) {
        String response = status + " " + (reason == null ? "" : reason) + (body == null || body.isBlank() ? ""
                : ": " + (body.length() > 500 ? body.substring(0, 500) + "…" : body.strip()));
        if (status >= 200 && status < 300) {
            return Outcome.delivered(response);
        }
        if (status == 429 || status == 408 || status >= 500) {
            return Outcome.retry(response, retryAfter(retryAfter));
        }
        return Outcome.permanent(response);
    }

    /** Retry-After as seconds or an HTTP date; null if absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }
}
