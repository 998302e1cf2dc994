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

/** Deployment markers for CI/CD pipelines: failures inside a marked deploy are labelled deploy, not outage. */
@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Tag(name = "Deployments")
public class DeploymentResource {

    private final DeploymentService deployments;
    private final CurrentOwner owner;

    public DeploymentResource(DeploymentService deployments, CurrentOwner owner) {
        this.deployments = deployments;
        this.owner = owner;
    }

    @POST
    @Operation(operationId = "createDeployment",
            summary = "Mark a deployment covering several monitors", description = "monitorIds (default: all your monitors)")
    @APIResponseSchema(value = DeploymentView.class, responseCode = "201", responseDescription = OpenApiDocument.CREATED_AT_LOCATION)
    public RestResponse<DeploymentView> create(DeploymentRequest request) {
        return created(deployments.create(owner.id(), null, request));
    }

    @GET
    @Operation(operationId = "listDeployments", summary = "Your deployment markers, newest first")
    public List<DeploymentView> list(@RestQuery @DefaultValue("50") int limit) {
        return deployments.list(owner.id(), null, limit);
    }

    @GET
    @Path("/{deploymentId}")
    @Operation(operationId = "getDeployment", summary = "One deployment marker")
    public DeploymentView get(@RestPath long deploymentId) {
        return deployments.get(owner.id(), deploymentId);
    }

    @POST
    @Path("/{deploymentId}/end")
    @Operation(operationId = "endDeployment", summary = "Mark a deployment finished", description = "Body optional: endedAt (default now)")
    public DeploymentView end(@RestPath long deploymentId, DeploymentRequest request) {
        return deployments.end(owner.id(), deploymentId, request);
    }

    static RestResponse<DeploymentView> created(DeploymentView d) {
        return RestResponse.ResponseBuilder.<DeploymentView>created(URI.create("/api/v1/deployments/" + d.id())).entity(d).build();
    }
}
