package dev.gatewatch.analysis.rest;

import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.analysis.service.IncidentQueries;
import dev.gatewatch.analysis.service.IncidentView;

/** Incidents and episodes of one of the calling owner's monitors. */
@Path("/api/v1/monitors/{monitorId}/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Incidents")
public class MonitorIncidentResource {

    private final IncidentQueries incidents;
    private final CurrentOwner owner;

    public MonitorIncidentResource(IncidentQueries incidents, CurrentOwner owner) {
        this.incidents = incidents;
        this.owner = owner;
    }

    @GET
    @Operation(operationId = "listMonitorIncidents",
            summary = "Incidents and episodes of one monitor, newest first", description = IncidentResource.FILTERS)
    public List<IncidentView> ofMonitor(@RestPath long monitorId, @RestQuery String kind, @RestQuery String status,
            @RestQuery String since, @RestQuery String until, @RestQuery @DefaultValue("100") int limit) {
        return incidents.list(owner.id(), monitorId, kind, status, since, until, limit);
    }
}
