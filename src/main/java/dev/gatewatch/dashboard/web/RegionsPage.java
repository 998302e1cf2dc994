package dev.gatewatch.dashboard.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.check.service.CheckQueries;
import dev.gatewatch.check.service.RegionView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The checker regions and their nodes (shared by every owner, like {@code /api/v1/regions}): live or silent, heartbeat
 * and load. htmx re-fetches the list every 5 s, the heartbeat interval.
 */
@Path("/regions")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class RegionsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance regions(String csrf, String email, List<RegionView> regions);

        static native TemplateInstance list(List<RegionView> regions);
    }

    private final CheckQueries checks;
    private final CurrentOwner owner;

    public RegionsPage(CheckQueries checks, CurrentOwner owner) {
        this.checks = checks;
        this.owner = owner;
    }

    @GET
    public Response regions(@HeaderParam("HX-Request") String htmx, RoutingContext rc) {
        List<RegionView> regions = checks.regions();
        String html = htmx != null ? Templates.list(regions).render() : Templates.regions(Csrf.token(rc), owner.email(), regions).render();
        return Response.ok(html).header("Vary", "HX-Request").header("Cache-Control", "no-store").build();
    }
}
