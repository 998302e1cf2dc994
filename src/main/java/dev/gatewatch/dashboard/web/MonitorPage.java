package dev.gatewatch.dashboard.web;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.dashboard.MonitorDetails;
import dev.gatewatch.dashboard.model.ChartRange;
import dev.gatewatch.dashboard.model.MonitorDetail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * One monitor: state, response time per region and per resolver, timing breakdown of recent checks, newest check per
 * stream, 90-day strip, and the incidents and deploy blips with their evidence. htmx re-fetches the state and the
 * newest checks every 10 s (same URL with {@code HX-Request}: only that fragment).
 */
@Path("/monitors")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class MonitorPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(String csrf, String email, MonitorDetail detail, ChartRange[] ranges);

        static native TemplateInstance live(MonitorDetail.Live live);
    }

    private final MonitorDetails details;
    private final CurrentOwner owner;

    public MonitorPage(MonitorDetails details, CurrentOwner owner) {
        this.details = details;
        this.owner = owner;
    }

    @GET
    @Path("/{monitorId}")
    public Response page(@RestPath long monitorId, @RestQuery String range, @HeaderParam("HX-Request") String htmx, RoutingContext rc) {
        String html = htmx != null ? Templates.live(details.live(owner.id(), monitorId, Instant.now())).render()
                : Templates.page(Csrf.token(rc), owner.email(), details.page(owner.id(), monitorId, ChartRange.parse(range), Instant.now()),
                        ChartRange.values()).render();
        return Response.ok(html).header("Vary", "HX-Request").header("Cache-Control", "no-store").build();
    }
}
