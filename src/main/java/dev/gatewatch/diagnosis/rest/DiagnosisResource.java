package dev.gatewatch.diagnosis.rest;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.api.ClientAddress;
import dev.gatewatch.diagnosis.service.DiagnosisService;
import dev.gatewatch.diagnosis.service.DiagnosisView;
import io.vertx.ext.web.RoutingContext;

/** "Is it down for everyone?": any URL, without an account when the operator allows it; and reading any diagnosis by its id. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Diagnoses")
public class DiagnosisResource {

    private final DiagnosisService diagnoses;
    private final CurrentOwner owner;

    public DiagnosisResource(DiagnosisService diagnoses, CurrentOwner owner) {
        this.diagnoses = diagnoses;
        this.owner = owner;
    }

    @POST
    @Path("/diagnose")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(operationId = "diagnoseUrl", summary = "Check a URL now from every region and resolver",
            description = "No account needed when gatewatch.diagnosis.anonymous is on (404 otherwise). The checks run at once; "
                    + "poll the Location (or open the page) for results as they arrive. A URL diagnosed moments ago is answered "
                    + "with that diagnosis (200).")
    @APIResponse(responseCode = "202", description = "Started: the checks are running; the Location (and the view's page) fill in "
            + "as they arrive", headers = @Header(name = "Location", description = "The diagnosis, e.g. /api/v1/diagnoses/{diagnosisId}",
            schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = DiagnosisView.class)))
    @APIResponse(responseCode = "200", description = "A diagnosis of the same URL from moments ago", headers = @Header(name = "Location",
            description = "That diagnosis", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = DiagnosisView.class)))
    @APIResponse(responseCode = "429", description = "A rate limit is reached: problem+json with Retry-After")
    @APIResponse(responseCode = "503", description = "No checker is running, or the database is away: problem+json with Retry-After")
    public RestResponse<DiagnosisView> diagnose(DiagnoseRequest request, RoutingContext rc) {
        var started = diagnoses.diagnoseUrl(request == null ? null : request.url(), ClientAddress.of(rc));
        return created(started);
    }

    @GET
    @Path("/diagnoses/{diagnosisId}")
    @Operation(operationId = "getDiagnosis", summary = "A diagnosis: its verdict, advice and checks so far",
            description = "Anyone with the id may read it; error bodies are shown only to the owner who asked.")
    public DiagnosisView get(@RestPath UUID diagnosisId) {
        return diagnoses.view(diagnosisId, owner.idOrNull());
    }

    static RestResponse<DiagnosisView> created(DiagnosisService.Started started) {
        DiagnosisView v = started.view();
        URI location = URI.create("/api/v1/diagnoses/" + v.id());
        return RestResponse.ResponseBuilder.<DiagnosisView>create(started.reused() ? RestResponse.Status.OK : RestResponse.Status.ACCEPTED)
                .location(location).entity(v).build();
    }

}
