package dev.gatewatch.config;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The installation's public base URL ({@code gatewatch.public-url}, or the deprecated {@code gatewatch.web.base-url}),
 * without a trailing slash. Checked at start, with a warning while it is unset: links in alerts would point at localhost.
 */
@ApplicationScoped
public class PublicUrl {

    private static final Logger LOG = Logger.getLogger(PublicUrl.class);
    static final String FALLBACK = "http://localhost:8080";

    /** The base URL links are built on. */
    public static String of(GatewatchConfig config) {
        return resolve(config.publicUrl(), config.web().baseUrl());
    }

    static String resolve(Optional<String> publicUrl, Optional<String> deprecated) {
        String url = publicUrl.filter(u -> !u.isBlank()).or(() -> deprecated.filter(u -> !u.isBlank())).orElse(FALLBACK).trim();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gatewatch.public-url is not a URL: " + url, e);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("gatewatch.public-url must be an absolute http(s) URL without query or fragment,"
                    + " such as https://gatewatch.example.com: " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    void check(@Observes StartupEvent event, GatewatchConfig config) {
        String url = of(config); // fails the start on a malformed URL
        if (config.publicUrl().filter(u -> !u.isBlank()).isEmpty()) {
            if (config.web().baseUrl().filter(u -> !u.isBlank()).isPresent()) {
                LOG.warnf("gatewatch.web.base-url (GATEWATCH_WEB_BASE_URL) is deprecated: set gatewatch.public-url (GATEWATCH_PUBLIC_URL) to %s instead", url);
            } else {
                LOG.warnf("gatewatch.public-url (GATEWATCH_PUBLIC_URL) is not set: links in alerts, digests, password reset mails"
                        + " and status pages point at %s; set it to the URL users reach this installation at", url);
            }
        }
    }
}
