package dev.gatewatch.monitor.rest;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.gatewatch.api.OpenApiDocument;
import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.api.Page;
import dev.gatewatch.monitor.MonitorRequest;
import dev.gatewatch.monitor.MonitorView;
import dev.gatewatch.monitor.service.MonitorService;

/** Monitor registration for the calling owner. */
@Path("/api/v1/monitors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Monitors")
public class MonitorResource {

    private final MonitorService monitors;
    private final CurrentOwner owner;

    public MonitorResource(MonitorService monitors, CurrentOwner owner) {
        this.monitors = monitors;
        this.owner = owner;
    }

    @POST
    @Operation(operationId = "createMonitor", summary = "Register a monitor")
    @APIResponseSchema(value = MonitorView.class, responseCode = "201", responseDescription = OpenApiDocument.CREATED_AT_LOCATION)
    public RestResponse<MonitorView> create(MonitorRequest request) {
        MonitorView created = monitors.create(owner.id(), request);
        return RestResponse.ResponseBuilder.<MonitorView>created(URI.create("/api/v1/monitors/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(operationId = "listMonitors",
            summary = "List monitors, a page at a time", description = "q filters by name or URL; paused by state")
    public Page<MonitorView> list(@RestQuery @DefaultValue("0") int page, @RestQuery @DefaultValue("50") int size,
            @RestQuery String q, @RestQuery Boolean paused) {
        return monitors.list(owner.id(), page, size, q, paused);
    }

    @GET
    @Path("/{monitorId}")
    @Operation(operationId = "getMonitor", summary = "One monitor with its settings")
    public MonitorView get(@RestPath long monitorId) {
        return monitors.get(owner.id(), monitorId);
    }

    @PUT
    @Path("/{monitorId}")
    @Operation(operationId = "replaceMonitor",
            summary = "Replace a monitor's settings", description = "Fields left out take their defaults")
    public MonitorView replace(@RestPath long monitorId, MonitorRequest request) {
        return monitors.replace(owner.id(), monitorId, request);
    }

    @DELETE
    @Path("/{monitorId}")
    @ResponseStatus(204)
    @Operation(operationId = "deleteMonitor", summary = "Delete a monitor with its results and incidents")
    public void delete(@RestPath long monitorId) {
        monitors.delete(owner.id(), monitorId);
    }

    @POST
    @Path("/{monitorId}/pause")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "pauseMonitor", summary = "Pause a monitor: no checks, no alerts")
    public MonitorView pause(@RestPath long monitorId) {
        return monitors.setPaused(owner.id(), monitorId, true);
    }

    @POST
    @Path("/{monitorId}/resume")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "resumeMonitor", summary = "Resume a paused monitor")
    public MonitorView resume(@RestPath long monitorId) {
        return monitors.setPaused(owner.id(), monitorId, false);
    }
}
