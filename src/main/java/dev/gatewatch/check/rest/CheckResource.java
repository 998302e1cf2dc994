package dev.gatewatch.check.rest;

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
import dev.gatewatch.check.service.CheckQueries;
import dev.gatewatch.check.service.LatestView;
import dev.gatewatch.check.service.ResultView;
import dev.gatewatch.check.service.RollupView;

/** Check results of the calling owner's monitors. */
@Path("/api/v1/monitors/{monitorId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Check results")
public class CheckResource {

    private final CheckQueries queries;
    private final CurrentOwner owner;

    public CheckResource(CheckQueries queries, CurrentOwner owner) {
        this.queries = queries;
        this.owner = owner;
    }

    @GET
    @Path("/results")
    @Operation(operationId = "listCheckResults", summary = "Raw check results, newest first",
            description = "since/until are ISO-8601 date-times (default: the last 24 h, at most 31 days); region and resolver filter")
    public List<ResultView> results(@RestPath long monitorId, @RestQuery String since, @RestQuery String until,
            @RestQuery String region, @RestQuery String resolver, @RestQuery @DefaultValue("100") int limit) {
        return queries.results(owner.id(), monitorId, since, until, region, resolver, limit);
    }

    @GET
    @Path("/results/latest")
    @Operation(operationId = "getLatestCheckResults", summary = "The newest result from every region and resolver")
    public List<LatestView> latest(@RestPath long monitorId) {
        return queries.latest(owner.id(), monitorId);
    }

    @GET
    @Path("/rollups")
    @Operation(operationId = "listCheckRollups", summary = "Per-minute or per-hour counts, failures and latency per region and resolver")
    public List<RollupView> rollups(@RestPath long monitorId, @RestQuery @DefaultValue("minute") String granularity,
            @RestQuery String since, @RestQuery String until) {
        return queries.rollups(owner.id(), monitorId, granularity, since, until);
    }
}
