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

/** Incidents and episodes (deploy blips, transients) of the calling owner's monitors. */
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Incidents")
public class IncidentResource {

    static final String FILTERS = "kind: comma-separated suspect, deploy_blip, transient, outage, partial, degraded, "
            + "flapping; status: suspected, open, resolved; since/until: ISO-8601 (default the last 30 days)";

    private final IncidentQueries incidents;
    private final CurrentOwner owner;

    public IncidentResource(IncidentQueries incidents, CurrentOwner owner) {
        this.incidents = incidents;
        this.owner = owner;
    }

    @GET
    @Operation(operationId = "listIncidents", summary = "Incidents and episodes of all your monitors, newest first", description = FILTERS)
    public List<IncidentView> all(@RestQuery String kind, @RestQuery String status, @RestQuery String since,
            @RestQuery String until, @RestQuery @DefaultValue("100") int limit) {
        return incidents.list(owner.id(), null, kind, status, since, until, limit);
    }

    @GET
    @Path("/{incidentId}")
    @Operation(operationId = "getIncident", summary = "One incident with its evidence, explanation and events")
    public IncidentView one(@RestPath long incidentId) {
        return incidents.get(owner.id(), incidentId);
    }
}
