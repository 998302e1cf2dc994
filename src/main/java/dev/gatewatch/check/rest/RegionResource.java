package dev.gatewatch.check.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gatewatch.check.service.CheckQueries;
import dev.gatewatch.check.service.RegionView;

/** Which regions have live checkers. */
@Path("/api/v1/regions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Regions")
public class RegionResource {

    private final CheckQueries queries;

    public RegionResource(CheckQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(operationId = "listRegions",
            summary = "Regions, their checker nodes, heartbeats and load; a region with no live node is silent")
    public List<RegionView> regions() {
        return queries.regions();
    }
}
