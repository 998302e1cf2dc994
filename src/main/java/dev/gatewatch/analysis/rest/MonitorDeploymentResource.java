package dev.gatewatch.analysis.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import dev.gatewatch.api.OpenApiDocument;
import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.analysis.service.DeploymentRequest;
import dev.gatewatch.analysis.service.DeploymentService;
import dev.gatewatch.analysis.service.DeploymentView;

/** Deployment markers of one of the calling owner's monitors. */
@Path("/api/v1/monitors/{monitorId}/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Tag(name = "Deployments")
public class MonitorDeploymentResource {

    private final DeploymentService deployments;
    private final CurrentOwner owner;

    public MonitorDeploymentResource(DeploymentService deployments, CurrentOwner owner) {
        this.deployments = deployments;
        this.owner = owner;
    }

    @POST
    @Operation(operationId = "createMonitorDeployment",
            summary = "Mark a deployment of one monitor's site", description = "Body optional: startedAt (default now), "
            + "endedAt, expectedDurationSeconds, description, version")
    @APIResponseSchema(value = DeploymentView.class, responseCode = "201", responseDescription = OpenApiDocument.CREATED_AT_LOCATION)
    public RestResponse<DeploymentView> createForMonitor(@RestPath long monitorId, DeploymentRequest request) {
        return DeploymentResource.created(deployments.create(owner.id(), monitorId, request));
    }

    @GET
    @Operation(operationId = "listMonitorDeployments", summary = "Deployment markers of one monitor, newest first")
    public List<DeploymentView> listForMonitor(@RestPath long monitorId, @RestQuery @DefaultValue("50") int limit) {
        return deployments.list(owner.id(), monitorId, limit);
    }
}
