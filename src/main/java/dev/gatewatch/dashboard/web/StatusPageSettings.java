package dev.gatewatch.dashboard.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.alerting.web.FormErrors;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.dashboard.status.StatusPageRequest;
import dev.gatewatch.dashboard.status.StatusPageService;
import dev.gatewatch.dashboard.status.StatusPageView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The owner's status page settings: address, title, on/off, the details opt-in, and which monitors appear under which
 * group and public name. Saved through the same service as {@code PUT /api/v1/status-page}.
 */
@Path("/status-page")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class StatusPageSettings {

    static final List<String> FIELDS = List.of("slug", "title", "description", "embedOrigins");

    /** One row of the monitor table: a monitor of the owner's and how (whether) it appears on the page. */
    public record Row(long id, String name, String url, boolean shown, String group, String displayName) {
    }

    /** The form's values: what was saved, or what was just posted. */
    public record Form(String slug, String title, String description, boolean enabled, boolean showDetails, String embedOrigins,
                       List<Row> rows) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(String csrf, String email, Form form, StatusPageView saved, FormErrors errors,
                List<String> fields, String notice);
    }

    private final StatusPageService pages;
    private final CurrentOwner owner;

    public StatusPageSettings(StatusPageService pages, CurrentOwner owner) {
        this.pages = pages;
        this.owner = owner;
    }

    @GET
    public String show(@RestQuery String saved, RoutingContext rc) {
        StatusPageView view = pages.get(owner.id()).orElse(null);
        return Templates.settings(Csrf.token(rc), owner.email(), form(view), view, FormErrors.NONE, FIELDS,
                saved != null ? "Saved." : null).render();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(MultivaluedMap<String, String> posted, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, posted.getFirst(Csrf.FIELD));
        List<Row> rows = new ArrayList<>();
        List<String> shown = posted.getOrDefault("show", List.of());
        for (StatusPageService.Choice m : pages.choices(owner.id())) {
            String id = String.valueOf(m.id());
            rows.add(new Row(m.id(), m.name(), m.url(), shown.contains(id), value(posted, "group-" + id), value(posted, "name-" + id)));
        }
        Form form = new Form(value(posted, "slug"), value(posted, "title"), value(posted, "description"), posted.containsKey("enabled"),
                posted.containsKey("showDetails"), value(posted, "embedOrigins"), rows);
        try {
            pages.save(owner.id(), request(form));
            return Response.seeOther(URI.create("/status-page?saved=1")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.settings(Csrf.token(rc), owner.email(), form, pages.get(owner.id()).orElse(null),
                    new FormErrors(e.errors()), FIELDS, null).render()).build();
        }
    }

    /** Groups in order of first appearance in the table, monitors in table order. */
    static StatusPageRequest request(Form form) {
        Map<String, List<StatusPageRequest.Entry>> groups = new LinkedHashMap<>();
        for (Row r : form.rows()) {
            if (r.shown()) {
                groups.computeIfAbsent(r.group().strip(), k -> new ArrayList<>()).add(new StatusPageRequest.Entry(r.id(), r.displayName()));
            }
        }
        return new StatusPageRequest(form.slug(), form.title(), form.description(), form.enabled(), form.showDetails(),
                groups.entrySet().stream().map(g -> new StatusPageRequest.Group(g.getKey(), g.getValue())).toList(),
                java.util.Arrays.stream(form.embedOrigins().split("[\\s,]+")).filter(s -> !s.isBlank()).toList());
    }

    private Form form(StatusPageView view) {
        Map<Long, String[]> onPage = new LinkedHashMap<>();
        if (view != null) {
            view.groups().forEach(g -> g.monitors().forEach(e -> onPage.put(e.monitorId(), new String[] {g.name(), e.displayName()})));
        }
        List<Row> rows = new ArrayList<>();
        for (StatusPageService.Choice m : pages.choices(owner.id())) {
            String[] p = onPage.get(m.id());
            rows.add(new Row(m.id(), m.name(), m.url(), p != null, p == null ? "" : p[0], p == null || p[1] == null ? "" : p[1]));
        }
        // Shown monitors first, in page order, so saving the form unchanged keeps the page as it is.
        List<Long> order = new ArrayList<>(onPage.keySet());
        rows.sort((a, b) -> Integer.compare(a.shown() ? order.indexOf(a.id()) : Integer.MAX_VALUE, b.shown() ? order.indexOf(b.id()) : Integer.MAX_VALUE));
        return view == null ? new Form("", "", "", false, false, "", rows)
                : new Form(view.slug(), view.title(), view.description() == null ? "" : view.description(), view.enabled(), view.showDetails(),
                        String.join(", ", view.embedOrigins()), rows);
    }

    private static String value(MultivaluedMap<String, String> posted, String key) {
        String v = posted.getFirst(key);
        return v == null ? "" : v;
    }
}
