package dev.gatewatch.alerting.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import dev.gatewatch.api.OpenApiDocument;
import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.alerting.mute.SilenceRequest;
import dev.gatewatch.alerting.mute.SilenceService;
import dev.gatewatch.alerting.mute.SilenceView;

/** Ad-hoc silences of the calling owner. */
@Path("/api/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Tag(name = "Silences")
public class SilenceResource {

    private final SilenceService silences;
    private final CurrentOwner owner;

    public SilenceResource(SilenceService silences, CurrentOwner owner) {
        this.silences = silences;
        this.owner = owner;
    }

    @POST
    @Operation(operationId = "createSilence",
            summary = "Silence alerts", description = "monitorId (absent: all monitors), reason, and endsAt or durationMinutes")
    @APIResponseSchema(value = SilenceView.class, responseCode = "201", responseDescription = OpenApiDocument.CREATED_AT_LOCATION)
    public RestResponse<SilenceView> create(SilenceRequest request) {
        SilenceView created = silences.create(owner.id(), request);
        return RestResponse.ResponseBuilder.<SilenceView>created(URI.create("/api/v1/silences/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(operationId = "listSilences", summary = "Silences on now or to come, and those that ended in the last 7 days")
    public List<SilenceView> list() {
        return silences.list(owner.id());
    }

    @GET
    @Path("/{silenceId}")
    @Operation(operationId = "getSilence", summary = "One silence")
    public SilenceView get(@RestPath long silenceId) {
        return silences.get(owner.id(), silenceId);
    }

    @DELETE
    @Path("/{silenceId}")
    @ResponseStatus(204)
    @Operation(operationId = "endSilence",
            summary = "End a silence now", description = "Alerts it was holding are sent at once if their incident is still open")
    public void end(@RestPath long silenceId) {
        silences.end(owner.id(), silenceId);
    }
}
