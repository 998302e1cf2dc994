package dev.gatewatch.alerting.web;

import java.net.URI;
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
import dev.gatewatch.api.InvalidInputException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * Alert channels in the web UI: list, add, edit, test-send (showing the receiver's answer), delete, and which monitors
 * alert through each. Forms go through the same service as the API, so its validation errors show next to the fields.
 */
@Path("/channels")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class ChannelPages {

    /** Form fields that have their own control; other errors are listed at the top of the form. */
    static final List<String> FIELDS = List.of("type", "name", "secrets.webhookUrl", "settings.url", "secrets.secret",
            "settings.recipients", "settings.digest", "settings.digestAt", "settings.timeZone", "monitorIds");

    @CheckedTemplate
    static class Templates {
        /** The list with the add form ({@code channel} null), or one channel's edit form with its deliveries. */
        static native TemplateInstance channels(String csrf, String email, List<ChannelView> channels, ChannelView channel,
                ChannelForm form, FormErrors errors, List<ChannelView.MonitorChoice> monitors, List<String> fields,
                ChannelView.TestResult test, List<ChannelView.DeliveryView> deliveries, String notice);
    }

    private final ChannelService channels;
    private final CurrentOwner owner;

    public ChannelPages(ChannelService channels, CurrentOwner owner) {
        this.channels = channels;
        this.owner = owner;
    }

    @GET
    public String list(@RestQuery String deleted, RoutingContext rc) {
        return listPage(rc, ChannelForm.blank(), FormErrors.NONE, deleted != null ? "Channel deleted." : null);
    }

    /** The channel form as posted; checkboxes are present only when ticked. */
    public static class Submitted {
        @FormParam("type") public String type;
        @FormParam("name") public String name;
        @FormParam("webhookUrl") public String webhookUrl;
        @FormParam("url") public String url;
        @FormParam("secret") public String secret;
        @FormParam("recipients") public String recipients;
        @FormParam("enabled") public String enabled;
        @FormParam("digest") public String digest;
        @FormParam("digestAt") public String digestAt;
        @FormParam("timeZone") public String timeZone;
        @FormParam("monitorIds") public List<String> monitorIds;
        @FormParam(Csrf.FIELD) public String csrf;

        ChannelForm form(Long id, String channelType, List<String> secretsSet) {
            return new ChannelForm(id, channelType, name, enabled != null, url, recipients, digest != null, digestAt, timeZone,
                    Checkboxes.ids(monitorIds), secretsSet);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@BeanParam Submitted in, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, in.csrf);
        ChannelForm form = in.form(null, in.type, List.of());
        try {
            ChannelView created = channels.create(owner.id(), form.toRequest(in.webhookUrl, in.secret));
            return Response.seeOther(URI.create("/channels/" + created.id() + "?saved=1")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(listPage(rc, form, new FormErrors(e.errors()), null)).build();
        }
    }

    @GET
    @Path("/{channelId}")
    public String edit(@RestPath long channelId, @RestQuery String saved, RoutingContext rc) {
        ChannelView v = channels.get(owner.id(), channelId);
        return editPage(rc, v, ChannelForm.of(v), FormErrors.NONE, null, saved != null ? "Saved." : null);
    }

    @POST
    @Path("/{channelId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replace(@RestPath long channelId, @BeanParam Submitted in, @CookieParam(Csrf.COOKIE) String csrfCookie,
            RoutingContext rc) {
        Csrf.verify(csrfCookie, in.csrf);
        ChannelView current = channels.get(owner.id(), channelId);
        ChannelForm form = in.form(channelId, current.type(), current.secretsSet());
        try {
            channels.replace(owner.id(), channelId, form.toRequest(in.webhookUrl, in.secret));
            return Response.seeOther(URI.create("/channels/" + channelId + "?saved=1")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(editPage(rc, current, form, new FormErrors(e.errors()), null, null)).build();
        }
    }

    @POST
    @Path("/{channelId}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String test(@RestPath long channelId, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie,
            RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        ChannelView.TestResult result = channels.test(owner.id(), channelId);
        ChannelView v = channels.get(owner.id(), channelId);
        return editPage(rc, v, ChannelForm.of(v), FormErrors.NONE, result, null);
    }

    @POST
    @Path("/{channelId}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@RestPath long channelId, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Csrf.verify(csrfCookie, csrf);
        channels.delete(owner.id(), channelId);
        return Response.seeOther(URI.create("/channels?deleted=1")).build();
    }

    private String listPage(RoutingContext rc, ChannelForm form, FormErrors errors, String notice) {
        return Templates.channels(Csrf.token(rc), owner.email(), channels.list(owner.id()), null, form, errors,
                channels.monitorChoices(owner.id()), FIELDS, null, List.of(), notice).render();
    }

    private String editPage(RoutingContext rc, ChannelView v, ChannelForm form, FormErrors errors, ChannelView.TestResult test,
            String notice) {
        return Templates.channels(Csrf.token(rc), owner.email(), List.of(), v, form, errors, channels.monitorChoices(owner.id()), FIELDS,
                test, channels.deliveries(owner.id(), v.id(), 20), notice).render();
    }
}
