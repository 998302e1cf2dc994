package dev.gatewatch.dashboard;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.api.Page;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.monitor.MonitorView;
import dev.gatewatch.monitor.service.MonitorService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** The owner's start page: their monitors. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(String csrf, String email, String baseUrl, Page<MonitorView> monitors);
    }

    private final MonitorService monitors;
    private final CurrentOwner owner;
    private final GatewatchConfig config;

    public HomePage(MonitorService monitors, CurrentOwner owner, GatewatchConfig config) {
        this.monitors = monitors;
        this.owner = owner;
        this.config = config;
    }

    @GET
    public String home(@RestQuery @DefaultValue("0") int page, RoutingContext rc) {
        return Templates.home(Csrf.token(rc), owner.email(), config.web().baseUrl(), monitors.list(owner.id(), Math.max(0, page), 100, null, null)).render();
    }
}
