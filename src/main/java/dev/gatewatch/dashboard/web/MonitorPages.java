package dev.gatewatch.dashboard.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.alerting.service.ChannelService;
import dev.gatewatch.alerting.service.ChannelView;
import dev.gatewatch.alerting.web.Checkboxes;
import dev.gatewatch.alerting.web.FormErrors;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.check.service.CheckQueries;
import dev.gatewatch.check.service.RegionView;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.monitor.MonitorRequest;
import dev.gatewatch.monitor.MonitorView;
import dev.gatewatch.monitor.service.MonitorService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * Adding, editing, pausing, resuming and deleting monitors in the web UI. The forms go through the same service as the
 * API, so its validation (the SSRF guard included) shows next to the fields. Here rather than in {@code monitor}
 * because the form offers the owner's alert channels, and only the dashboard may read both features.
 * {@code GET /monitors/{id}} itself is the dashboard's monitor page.
 */
@Path("/monitors")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class MonitorPages {

    /** What the form offers to choose from. */
    public record Choices(List<String> methods, List<String> resolvers, List<ChannelView> channels, List<String> regions) {
    }

    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @CheckedTemplate
    static class Templates {
        /** The add form ({@code monitor} null) or one monitor's edit form with pause, resume and delete. */
        static native TemplateInstance form(String csrf, String email, MonitorView monitor, MonitorForm form, FormErrors errors,
                List<String> fields, Choices choices, String notice);
    }

    private final MonitorService monitors;
    private final ChannelService channels;
    private final CheckQueries checks;
    private final CurrentOwner owner;
    private final GatewatchConfig config;

    public MonitorPages(MonitorService monitors, ChannelService channels, CheckQueries checks, CurrentOwner owner,
            GatewatchConfig config) {
        this.monitors = monitors;
        this.channels = channels;
        this.checks = checks;
        this.owner = owner;
        this.config = config;
    }

    /** The monitor form as posted; checkboxes are present only when ticked. */
    public static class Submitted {
        @FormParam("name") public String name;
        @FormParam("url") public String url;
        @FormParam("method") public String method;
        @FormParam("intervalSeconds") public String intervalSeconds;
        @FormParam("timeoutMs") public String timeoutMs;
        @FormParam("expectedStatus") public String expectedStatus;
        @FormParam("resolvers") public List<String> resolvers;
        @FormParam("otherResolvers") public String otherResolvers;
        @FormParam("regions") public String regions;
        @FormParam("maxResponseTimeMs") public String maxResponseTimeMs;
        @FormParam("confirmationWindowSeconds") public String confirmationWindowSeconds;
        @FormParam("quickConfirmation") public String quickConfirmation;
        @FormParam("successThreshold") public String successThreshold;
        @FormParam("reminderMinutes") public String reminderMinutes;
        @FormParam("channels") public List<String> channels;
        @FormParam("headers") public String headers;
        @FormParam("body") public String body;
        @FormParam("bodyAssertions") public String bodyAssertions;
        @FormParam(Csrf.FIELD) public String csrf;

        MonitorForm form() {
            return new MonitorForm(name, url, method, intervalSeconds, timeoutMs, expectedStatus,
                    Checkboxes.values(resolvers), otherResolvers, regions, maxResponseTimeMs, confirmationWindowSeconds,
                    quickConfirmation != null, successThreshold, reminderMinutes, Checkboxes.ids(channels), headers, body, bodyAssertions);
        }
    }

    @GET
    @Path("/new")
    public String add(RoutingContext rc) {
        return page(rc, null, MonitorForm.blank(presets()), FormErrors.NONE, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@BeanParam Submitted in, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, in.csrf);
        MonitorForm form = in.form();
        try {
            MonitorView created = monitors.create(owner.id(), request(form, null));
            return Response.seeOther(URI.create("/monitors/" + created.id())).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(page(rc, null, form, form.errors(e.errors()), null)).build();
        }
    }

    @GET
    @Path("/{monitorId}/edit")
    public String edit(@RestPath long monitorId, @RestQuery String saved, @RestQuery String paused, @RestQuery String resumed,
            RoutingContext rc) {
        MonitorView v = monitors.get(owner.id(), monitorId);
        String notice = saved != null ? "Saved." : paused != null ? "Paused: no checks run until you resume it."
                : resumed != null ? "Resumed: checks run again." : null;
        return page(rc, v, MonitorForm.of(v, presets()), FormErrors.NONE, notice);
    }

    @POST
    @Path("/{monitorId}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replace(@RestPath long monitorId, @BeanParam Submitted in, @CookieParam(Csrf.COOKIE) String csrfCookie,
            RoutingContext rc) {
        Csrf.verify(csrfCookie, in.csrf);
        MonitorView current = monitors.get(owner.id(), monitorId);
        MonitorForm form = in.form();
        try {
            monitors.replace(owner.id(), monitorId, request(form, current));
            return Response.seeOther(URI.create("/monitors/" + monitorId + "/edit?saved=1")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(page(rc, current, form, form.errors(e.errors()), null)).build();
        }
    }

    @POST
    @Path("/{monitorId}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response pause(@RestPath long monitorId, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        return setPaused(monitorId, true, csrf, csrfCookie);
    }

    @POST
    @Path("/{monitorId}/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resume(@RestPath long monitorId, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        return setPaused(monitorId, false, csrf, csrfCookie);
    }

    /** Deletes only when the confirmation box is ticked: results and incidents go with the monitor. */
    @POST
    @Path("/{monitorId}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@RestPath long monitorId, @FormParam("confirm") String confirm, @FormParam(Csrf.FIELD) String csrf,
            @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        MonitorView current = monitors.get(owner.id(), monitorId);
        if (confirm == null) {
            FormErrors unconfirmed = new FormErrors(List.of(new FieldError("confirm", "Tick the box to confirm the deletion.")));
            return Response.status(400).entity(page(rc, current, MonitorForm.of(current, presets()), unconfirmed, null)).build();
        }
        monitors.delete(owner.id(), monitorId);
        return Response.seeOther(URI.create("/")).build();
    }

    private Response setPaused(long monitorId, boolean paused, String csrf, String csrfCookie) {
        Csrf.verify(csrfCookie, csrf);
        monitors.setPaused(owner.id(), monitorId, paused);
        return Response.seeOther(URI.create("/monitors/" + monitorId + "/edit?" + (paused ? "paused" : "resumed") + "=1")).build();
    }

    /** The request for the service; what the form cannot read is refused here, as the API would never see it. */
    private static MonitorRequest request(MonitorForm form, MonitorView current) {
        List<FieldError> problems = new ArrayList<>();
        MonitorRequest request = form.toRequest(current, problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return request;
    }

    private List<String> presets() {
        return config.monitors().defaultResolvers();
    }

    private String page(RoutingContext rc, MonitorView monitor, MonitorForm form, FormErrors errors, String notice) {
        Choices choices = new Choices(METHODS, presets(), channels.list(owner.id()), checks.regions().stream().map(RegionView::region).toList());
        return Templates.form(Csrf.token(rc), owner.email(), monitor, form, errors, MonitorForm.FIELDS, choices, notice).render();
    }
}
