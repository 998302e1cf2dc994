package dev.gatewatch.dashboard.web;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.check.service.CheckQueries;
import dev.gatewatch.check.service.Coverage;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.config.PublicUrl;
import dev.gatewatch.dashboard.DashboardQueries;
import dev.gatewatch.dashboard.model.MonitorList;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The owner's start page: every monitor with its state, open incident, uptime and response time, filtered and sorted on
 * the server. htmx re-fetches the table every few seconds (same URL, {@code HX-Request} header: only the table).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class MonitorListPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(String csrf, String email, String baseUrl, MonitorList list, MonitorList.Sort[] sorts,
                Coverage coverage);

        static native TemplateInstance table(MonitorList list, Coverage coverage);
    }

    private final DashboardQueries queries;
    private final CurrentOwner owner;
    private final GatewatchConfig config;
    private final CheckQueries checks;

    public MonitorListPage(DashboardQueries queries, CurrentOwner owner, GatewatchConfig config, CheckQueries checks) {
        this.queries = queries;
        this.checks = checks;
        this.owner = owner;
        this.config = config;
    }

    @GET
    public Response home(@RestQuery String q, @RestQuery String state, @RestQuery String sort, @RestQuery Integer page,
            @HeaderParam("HX-Request") String htmx, RoutingContext rc) {
        ServerTiming timing = new ServerTiming();
        MonitorList list = MonitorList.of(queries.summaries(owner.id(), Instant.now()), MonitorList.Query.of(q, state, sort, page));
        Coverage coverage = checks.coverage(owner.id(), null);
        timing.lap("data");
        String html = htmx != null ? Templates.table(list, coverage).render()
                : Templates.home(Csrf.token(rc), owner.email(), PublicUrl.of(config), list, MonitorList.Sort.values(), coverage).render();
        timing.lap("render");
        return Response.ok(html).header("Vary", "HX-Request").header("Cache-Control", "no-store")
                .header(ServerTiming.HEADER, timing.value()).build();
    }
}
