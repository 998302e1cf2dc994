package dev.gatewatch.diagnosis.rest;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.diagnosis.service.DiagnosisService;
import dev.gatewatch.diagnosis.service.DiagnosisView;

/** "Diagnose now" for one of the calling owner's monitors, and its past diagnoses. */
@Path("/api/v1/monitors/{monitorId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Diagnoses")
public class MonitorDiagnosisResource {

    private final DiagnosisService diagnoses;
    private final CurrentOwner owner;

    public MonitorDiagnosisResource(DiagnosisService diagnoses, CurrentOwner owner) {
        this.diagnoses = diagnoses;
        this.owner = owner;
    }

    @POST
    @Path("/diagnose")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(operationId = "diagnoseMonitor", summary = "Check the monitor now from every region, through the default resolvers "
            + "and its own", description = "No body. Poll the Location for results as they arrive.")
    @APIResponse(responseCode = "202", description = "Started: the checks are running; the Location fills in as they arrive",
            headers = @Header(name = "Location", description = "The diagnosis, e.g. /api/v1/diagnoses/{diagnosisId}",
            schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = DiagnosisView.class)))
    @APIResponse(responseCode = "429", description = "Too many diagnoses this minute: problem+json with Retry-After")
    @APIResponse(responseCode = "503", description = "No checker is running, or the database is away: problem+json with Retry-After")
    public RestResponse<DiagnosisView> diagnose(@RestPath long monitorId) {
        return DiagnosisResource.created(diagnoses.diagnoseMonitor(owner.id(), monitorId));
    }

    @GET
    @Path("/diagnoses")
    @Operation(operationId = "listMonitorDiagnoses", summary = "The monitor's diagnoses, newest first (kept for gatewatch.diagnosis.keep)")
    public List<DiagnosisView> history(@RestPath long monitorId, @RestQuery @DefaultValue("20") int limit) {
        return diagnoses.history(owner.id(), monitorId, limit);
    }
}
