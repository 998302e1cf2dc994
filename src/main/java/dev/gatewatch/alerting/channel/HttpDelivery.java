package dev.gatewatch.alerting.channel;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.monitor.target.TargetGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** POSTs JSON to a receiver and sorts its answer into delivered / retry / permanent. Shared by Slack and webhooks. */
@ApplicationScoped
public class HttpDelivery {

    private final WebClient client;
    private final Duration timeout;
    private final TargetGuard guard;

    public HttpDelivery(Vertx vertx, GatewatchConfig config, TargetGuard guard) {
        this.timeout = config.notifier().sendTimeout();
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Gatewatch-Alerts/0.1")
                .setConnectTimeout((int) timeout.toMillis()).setFollowRedirects(false));
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
            guard.hostRefusal(u.getHost()).ifPresent(why -> errors.add(new FieldError(field, why)));
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
            return Outcome.permanent("refused by the SSRF guard: " + host + " " + admission.refusal().get());
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
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setSsl(https).setURI(path);
        var request = client.request(HttpMethod.POST, checked, options).timeout(timeout.toMillis()).putHeader("Content-Type", "application/json");
        headers.forEach(request::putHeader);
        try {
            HttpResponse<Buffer> r = request.sendBuffer(Buffer.buffer(json)).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return classify(r.statusCode(), r.statusMessage(), r.bodyAsString(), r.getHeader("Retry-After"));
        } catch (ExecutionException e) {
            return Outcome.retry(String.valueOf(e.getCause().getMessage()), null);
        } catch (TimeoutException e) {
            return Outcome.retry("no answer within " + timeout.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retry("interrupted", null);
        }
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
