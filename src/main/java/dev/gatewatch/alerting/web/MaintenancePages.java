package dev.gatewatch.alerting.web;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
import dev.gatewatch.alerting.mute.MaintenanceRequest;
import dev.gatewatch.alerting.mute.MaintenanceService;
import dev.gatewatch.alerting.mute.MaintenanceView;
import dev.gatewatch.alerting.service.ChannelService;
import dev.gatewatch.alerting.service.ChannelView;
import dev.gatewatch.api.Durations;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * Maintenance windows in the web UI: list (with the ones on now), add, edit, delete. Forms go through the same
 * service as the API, so its validation errors show next to the fields.
 */
@Path("/maintenance")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class MaintenancePages {

    /** Time zones offered while typing: the IANA region names (the field takes any zone Java knows). */
    static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")).sorted().toList();

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", java.util.Locale.ENGLISH);

    /** One window in the list, said in words, in its own time zone (UTC for a one-off). */
    public record Row(MaintenanceView window, String when, String state, String monitors) {

        static Row of(MaintenanceView w, Map<Long, String> monitorNames) {
            MaintenanceRequest.RecurrenceRequest r = w.recurrence();
            ZoneId zone = r == null ? ZoneOffset.UTC : ZoneId.of(r.timeZone());
            String when;
            if (r == null) {
                when = format(w.startsAt(), zone) + " – " + format(w.endsAt(), zone) + " UTC";
            } else {
                when = (r.days().isEmpty() ? "Daily" : String.join(", ", r.days().stream()
                        .map(d -> d.charAt(0) + d.substring(1, 3).toLowerCase(java.util.Locale.ROOT)).toList()))
                        + " at " + r.start() + " for " + Durations.words(Duration.ofMinutes(r.durationMinutes())) + " (" + r.timeZone() + ")"
                        + (w.startsAt() == null ? "" : ", from " + format(w.startsAt(), zone))
                        + (w.endsAt() == null ? "" : ", until " + format(w.endsAt(), zone));
            }
            String state = w.activeNow() ? "on now, until " + format(w.next().end(), zone)
                    : w.next() == null ? "over" : "next " + format(w.next().start(), zone);
            String monitors = w.monitorIds().isEmpty() ? "all monitors" : w.monitorIds().stream()
                    .map(id -> monitorNames.getOrDefault(id, "#" + id)).collect(Collectors.joining(", "));
            return new Row(w, when, state, monitors);
        }

        private static String format(Instant at, ZoneId zone) {
            return WHEN.format(at.atZone(zone));
        }
    }

    @CheckedTemplate
    static class Templates {
        /** The list with the add form ({@code window} null), or one window's edit form. */
        static native TemplateInstance maintenance(String csrf, String email, List<Row> windows, MaintenanceView window,
                MaintenanceForm form, FormErrors errors, List<String> fields, List<ChannelView.MonitorChoice> monitors,
                List<MaintenanceForm.Day> days, List<String> zones, String notice);
    }

    private final MaintenanceService windows;
    private final ChannelService channels;
    private final CurrentOwner owner;

    public MaintenancePages(MaintenanceService windows, ChannelService channels, CurrentOwner owner) {
        this.windows = windows;
        this.channels = channels;
        this.owner = owner;
    }

    /** The window form as posted; checkboxes are present only when ticked. */
    public static class Submitted {
        @FormParam("name") public String name;
        @FormParam("kind") public String kind;
        @FormParam("startsAt") public String startsAt;
        @FormParam("endsAt") public String endsAt;
        @FormParam("timeZone") public String timeZone;
        @FormParam("days") public List<String> days;
        @FormParam("start") public String start;
        @FormParam("durationMinutes") public String durationMinutes;
        @FormParam("from") public String from;
        @FormParam("until") public String until;
        @FormParam("monitorIds") public List<String> monitorIds;
        @FormParam(Csrf.FIELD) public String csrf;

        MaintenanceForm form() {
            return new MaintenanceForm(name, "repeat".equals(kind), startsAt, endsAt, timeZone, Checkboxes.values(days), start,
                    durationMinutes, from, until, Checkboxes.ids(monitorIds));
        }
    }

    @GET
    public String list(@RestQuery String saved, @RestQuery String deleted, RoutingContext rc) {
        String notice = saved != null ? "Maintenance window added." : deleted != null ? "Maintenance window deleted." : null;
        return listPage(rc, MaintenanceForm.blank(), FormErrors.NONE, notice);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@BeanParam Submitted in, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, in.csrf);
        MaintenanceForm form = in.form();
        try {
            windows.create(owner.id(), request(form));
            return Response.seeOther(URI.create("/maintenance?saved=1")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(listPage(rc, form, new FormErrors(e.errors()), null)).build();
        }
    }

    @GET
    @Path("/{windowId}")
    public String edit(@RestPath long windowId, @RestQuery String saved, RoutingContext rc) {
        MaintenanceView v = windows.get(owner.id(), windowId);
        return editPage(rc, v, MaintenanceForm.of(v), FormErrors.NONE, saved != null ? "Saved." : null);
    }

    @POST
    @Path("/{windowId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replace(@RestPath long windowId, @BeanParam Submitted in, @CookieParam(Csrf.COOKIE) String csrfCookie,
            RoutingContext rc) {
        Csrf.verify(csrfCookie, in.csrf);
        MaintenanceView current = windows.get(owner.id(), windowId);
        MaintenanceForm form = in.form();
        try {
            windows.replace(owner.id(), windowId, request(form));
            return Response.seeOther(URI.create("/maintenance/" + windowId + "?saved=1")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(editPage(rc, current, form, new FormErrors(e.errors()), null)).build();
        }
    }

    @POST
    @Path("/{windowId}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@RestPath long windowId, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Csrf.verify(csrfCookie, csrf);
        windows.delete(owner.id(), windowId);
        return Response.seeOther(URI.create("/maintenance?deleted=1")).build();
    }

    /** The request for the service; what the form cannot read is refused here, as the API would never see it. */
    private static MaintenanceRequest request(MaintenanceForm form) {
        List<FieldError> problems = new ArrayList<>();
        MaintenanceRequest request = form.toRequest(problems);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return request;
    }

    private String listPage(RoutingContext rc, MaintenanceForm form, FormErrors errors, String notice) {
        List<ChannelView.MonitorChoice> monitors = channels.monitorChoices(owner.id());
        Map<Long, String> names = monitors.stream().collect(Collectors.toMap(ChannelView.MonitorChoice::id, ChannelView.MonitorChoice::name));
        List<Row> rows = windows.list(owner.id()).stream().map(w -> Row.of(w, names)).toList();
        return Templates.maintenance(Csrf.token(rc), owner.email(), rows, null, form, errors, MaintenanceForm.FIELDS, monitors,
                MaintenanceForm.DAYS, ZONES, notice).render();
    }

    private String editPage(RoutingContext rc, MaintenanceView v, MaintenanceForm form, FormErrors errors, String notice) {
        return Templates.maintenance(Csrf.token(rc), owner.email(), List.of(), v, form, errors, MaintenanceForm.FIELDS,
                channels.monitorChoices(owner.id()), MaintenanceForm.DAYS, ZONES, notice).render();
    }
}
