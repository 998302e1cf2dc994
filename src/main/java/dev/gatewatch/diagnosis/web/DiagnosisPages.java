package dev.gatewatch.diagnosis.web;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.api.ClientAddress;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.api.ProblemException;
import dev.gatewatch.config.GatewatchConfig;
import dev.gatewatch.diagnosis.service.DiagnosisService;
import dev.gatewatch.diagnosis.service.DiagnosisView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The diagnosis pages: the form anyone may use (when the operator allows it), an owner's "Diagnose now", and the
 * shareable result page, which htmx refreshes every second (same URL with {@code HX-Request}: only the results) until
 * every region has answered or the deadline has passed.
 */
@Path("/diagnose")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class DiagnosisPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(String csrf, boolean signedIn, String url, List<FieldError> errors, String refusal);

        static native TemplateInstance page(String csrf, boolean signedIn, DiagnosisView d, DiagnosisModel m);

        static native TemplateInstance results(DiagnosisView d, DiagnosisModel m);
    }

    private final DiagnosisService diagnoses;
    private final CurrentOwner owner;
    private final GatewatchConfig config;

    public DiagnosisPages(DiagnosisService diagnoses, CurrentOwner owner, GatewatchConfig config) {
        this.diagnoses = diagnoses;
        this.owner = owner;
        this.config = config;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The form")
    @APIResponse(responseCode = "404", description = "Diagnosis without an account is not enabled")
    public Response form(RoutingContext rc) {
        if (!config.diagnosis().anonymous()) {
            return Response.status(404).entity(Templates.form(Csrf.token(rc), owner.idOrNull() != null, "", List.of(),
                    "Diagnosing any URL without an account is not enabled on this installation. Owners can diagnose their "
                            + "monitors from each monitor's page.").render()).build();
        }
        return Response.ok(Templates.form(Csrf.token(rc), owner.idOrNull() != null, "", List.of(), null).render()).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @APIResponse(responseCode = "400", description = "The URL is not one that may be diagnosed: the form again, saying why")
    @APIResponse(responseCode = "429", description = "A rate limit is reached: the form again, with Retry-After")
    public Response start(@FormParam("url") String url, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String cookie,
                          RoutingContext rc) {
        Csrf.verify(cookie, csrf);
        try {
            var started = diagnoses.diagnoseUrl(url, ClientAddress.of(rc));
            return Response.seeOther(URI.create(started.view().page())).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.form(Csrf.token(rc), owner.idOrNull() != null, url == null ? "" : url,
                    e.errors(), null).render()).build();
        } catch (ProblemException e) {
            return refused(e, Templates.form(Csrf.token(rc), owner.idOrNull() != null, url == null ? "" : url, List.of(), e.getMessage()));
        }
    }

    /** The form again saying why, with the refusal's status (429, 503) and its Retry-After. */
    static Response refused(ProblemException e, TemplateInstance form) {
        var r = Response.status(e.problem().status()).entity(form.render());
        return (e.retryAfterSeconds() == null ? r : r.header("Retry-After", e.retryAfterSeconds())).build();
    }

    @GET
    @Path("{diagnosisId}")
    public Response page(@RestPath UUID diagnosisId, @HeaderParam("HX-Request") String htmx, RoutingContext rc) {
        DiagnosisView d = diagnoses.view(diagnosisId, owner.idOrNull());
        DiagnosisModel m = DiagnosisModel.of(d, owner.idOrNull() != null && d.monitorId() != null);
        String html = htmx != null ? Templates.results(d, m).render()
                : Templates.page(Csrf.token(rc), owner.idOrNull() != null, d, m).render();
        return Response.ok(html).header("Vary", "HX-Request").header("Cache-Control", "no-store").build();
    }
}
