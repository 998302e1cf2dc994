package dev.gatewatch.diagnosis.web;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
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
import dev.gatewatch.api.ProblemException;
import dev.gatewatch.diagnosis.service.DiagnosisService;
import io.vertx.ext.web.RoutingContext;

/** The "Diagnose now" button of a monitor's page: starts the diagnosis and shows its page. */
@Path("/monitors/{monitorId}/diagnose")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI")
public class MonitorDiagnosePage {

    private final DiagnosisService diagnoses;
    private final CurrentOwner owner;

    public MonitorDiagnosePage(DiagnosisService diagnoses, CurrentOwner owner) {
        this.diagnoses = diagnoses;
        this.owner = owner;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @APIResponse(responseCode = "429", description = "Too many diagnoses this minute: a page saying so, with Retry-After")
    public Response diagnoseMonitor(@RestPath long monitorId, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String cookie,
                                    RoutingContext rc) {
        Csrf.verify(cookie, csrf);
        try {
            return Response.seeOther(URI.create(diagnoses.diagnoseMonitor(owner.id(), monitorId).view().page())).build();
        } catch (ProblemException e) {
            return DiagnosisPages.refused(e, DiagnosisPages.Templates.form(Csrf.token(rc), true, "", List.of(), e.getMessage()));
        }
    }

}
