package dev.gatewatch.alerting.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import dev.gatewatch.alerting.mute.MaintenanceRequest;
import dev.gatewatch.alerting.mute.MaintenanceService;
import dev.gatewatch.alerting.mute.MaintenanceView;

/** Maintenance windows of the calling owner: alerts are held while one is on, checks go on. */
@Path("/api/v1/maintenance-windows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Tag(name = "Maintenance windows")
public class MaintenanceResource {

    private final MaintenanceService windows;
    private final CurrentOwner owner;

    public MaintenanceResource(MaintenanceService windows, CurrentOwner owner) {
        this.windows = windows;
        this.owner = owner;
    }

    @POST
    @Operation(operationId = "createMaintenanceWindow",
            summary = "Create a maintenance window", description = "One-off: startsAt and endsAt. Recurring: recurrence "
            + "{days, start, durationMinutes, timeZone}, optionally bounded by startsAt/endsAt. monitorIds empty: all monitors")
    @APIResponseSchema(value = MaintenanceView.class, responseCode = "201", responseDescription = OpenApiDocument.CREATED_AT_LOCATION)
    public RestResponse<MaintenanceView> create(MaintenanceRequest request) {
        MaintenanceView created = windows.create(owner.id(), request);
        return RestResponse.ResponseBuilder.<MaintenanceView>created(URI.create("/api/v1/maintenance-windows/" + created.id()))
                .entity(created).build();
    }

    @GET
    @Operation(operationId = "listMaintenanceWindows", summary = "Your maintenance windows")
    public List<MaintenanceView> list() {
        return windows.list(owner.id());
    }

    @GET
    @Path("/{windowId}")
    @Operation(operationId = "getMaintenanceWindow", summary = "One maintenance window")
    public MaintenanceView get(@RestPath long windowId) {
        return windows.get(owner.id(), windowId);
    }

    @PUT
    @Path("/{windowId}")
    @Operation(operationId = "replaceMaintenanceWindow", summary = "Replace a maintenance window's settings")
    public MaintenanceView replace(@RestPath long windowId, MaintenanceRequest request) {
        return windows.replace(owner.id(), windowId, request);
    }

    @DELETE
    @Path("/{windowId}")
    @ResponseStatus(204)
    @Operation(operationId = "deleteMaintenanceWindow",
            summary = "Delete a window", description = "Alerts it was holding are sent at once if their incident is still open")
    public void delete(@RestPath long windowId) {
        windows.delete(owner.id(), windowId);
    }
}
