package dev.gatewatch.dashboard.web;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.dashboard.model.MonitorSummary;
import dev.gatewatch.dashboard.model.Period;
import dev.gatewatch.dashboard.model.Uptime;
import dev.gatewatch.account.web.SecurityHeaders;
import dev.gatewatch.dashboard.status.AtomFeed;
import dev.gatewatch.dashboard.status.Badge;
import dev.gatewatch.dashboard.status.Fingerprint;
import dev.gatewatch.dashboard.status.PublicPage;
import dev.gatewatch.dashboard.status.StatusPageService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Public status pages and badges: no login, nothing of an owner's that they did not put on an enabled page. Responses
 * may be cached briefly by browsers and proxies; badges answer conditional requests.
 */
@Path("/status/{slug}")
@Tag(name = "Public status pages")
public class PublicStatusPage {

    private static final String SVG = "image/svg+xml";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(PublicPage page);
    }

    private final StatusPageService pages;

    public PublicStatusPage(StatusPageService pages) {
        this.pages = pages;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The public status page")
    public Response page(@RestPath String slug) {
        ServerTiming timing = new ServerTiming();
        PublicPage page = pages.publicPage(slug, Instant.now());
        timing.lap("data");
        String html = Templates.page(page).render();
        timing.lap("render");
        Response.ResponseBuilder r = Response.ok(html).header("Cache-Control", "public, max-age=30").header(ServerTiming.HEADER, timing.value());
        if (!page.embedOrigins().isEmpty()) {
            // the owner opted in: these sites may frame the page (SecurityHeaders leaves a policy set here alone)
            r.header("Content-Security-Policy", SecurityHeaders.htmlPolicy(String.join(" ", page.embedOrigins())));
        }
        return r.build();
    }

    @GET
    @Path("/feed.atom")
    @Produces("application/atom+xml")
    @Operation(summary = "The status page's incidents of the last 14 days as an Atom feed")
    public Response feed(@RestPath String slug) {
        PublicPage page = pages.publicPage(slug, Instant.now());
        return Response.ok(AtomFeed.of(page), "application/atom+xml; charset=utf-8")
                .header("Cache-Control", "public, max-age=60").build();
    }

    @GET
    @Path("/badge/{monitorId}/status.svg")
    @Produces(SVG)
    @Operation(summary = "Badge: the monitor's current state")
    public Response status(@RestPath String slug, @RestPath long monitorId, @HeaderParam("If-None-Match") String etag) {
        MonitorSummary m = pages.badge(slug, monitorId, Instant.now());
        PublicPage.Component c = new PublicPage.Component(m.id(), m.name(), m.visible(), m.quarter(), "");
        Badge.Colour colour = switch (c.stateCode()) {
            case "up" -> Badge.Colour.OK;
            case "degraded" -> Badge.Colour.WARN;
            case "none" -> Badge.Colour.NONE;
            default -> Badge.Colour.BAD;
        };
        return svg(new Badge("status", c.state(), colour), 60, etag);
    }

    @GET
    @Path("/badge/{monitorId}/uptime.svg")
    @Produces(SVG)
    @Operation(summary = "Badge: uptime over a period (24h, 7d, 30d or 90d; default 30d)")
    public Response uptime(@RestPath String slug, @RestPath long monitorId, @RestQuery String period, @HeaderParam("If-None-Match") String etag) {
        Period p = period(period, Period.MONTH);
        Uptime u = pages.badge(slug, monitorId, Instant.now()).uptime(p);
        return svg(new Badge("uptime " + p.code(), u.text(), Badge.Colour.ofBand(u.band())), 300, etag);
    }

    @GET
    @Path("/badge/{monitorId}/response-time.svg")
    @Produces(SVG)
    @Operation(summary = "Badge: the latest response time (mean over regions and resolvers)")
    public Response responseTime(@RestPath String slug, @RestPath long monitorId, @HeaderParam("If-None-Match") String etag) {
        Integer ms = pages.badge(slug, monitorId, Instant.now()).latestMs();
        return svg(new Badge("response time", ms == null ? "–" : ms + " ms", ms == null ? Badge.Colour.NONE
                : ms < 500 ? Badge.Colour.OK : ms < 2000 ? Badge.Colour.WARN : Badge.Colour.BAD), 60, etag);
    }

    private static Period period(String code, Period fallback) {
        if (code == null || code.isEmpty()) {
            return fallback;
        }
        return Period.parse(code).orElseThrow(() -> new InvalidInputException("period", "must be 24h, 7d, 30d or 90d"));
    }

    /** Same URL, same picture until the figure changes: a strong ETag over the SVG lets caches revalidate for free. */
    private static Response svg(Badge badge, int maxAge, String ifNoneMatch) {
        String body = badge.svg();
        String etag = "\"" + Fingerprint.of(body, 12) + "\"";
        Response.ResponseBuilder r = etag.equals(ifNoneMatch) ? Response.notModified() : Response.ok(body, SVG);
        return r.header("ETag", etag).header("Cache-Control", "public, max-age=" + maxAge).build();
    }
}
