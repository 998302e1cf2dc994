package dev.gatewatch.dashboard.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.api.NotFoundProblem;
import dev.gatewatch.dashboard.status.StatusPageRequest;
import dev.gatewatch.dashboard.status.StatusPageService;
import dev.gatewatch.dashboard.status.StatusPageView;

@Path("/api/v1/status-page")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Status page")
public class StatusPageResource {

    private final StatusPageService pages;
    private final CurrentOwner owner;

    public StatusPageResource(StatusPageService pages, CurrentOwner owner) {
        this.pages = pages;
        this.owner = owner;
    }

    @GET
    @Operation(operationId = "getStatusPage", summary = "Your public status page's settings (404 until saved once)")
    public StatusPageView get() {
        return pages.get(owner.id()).orElseThrow(() -> new NotFoundProblem("status page"));
    }

    @PUT
    @Operation(operationId = "putStatusPage",
            summary = "Create or replace your public status page: address, title, groups of monitors, opt-ins")
    public StatusPageView put(StatusPageRequest request) {
        return pages.save(owner.id(), request);
    }
}
