package dev.gatewatch.alerting.rest;

import java.net.URI;
import java.util.List;

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
import dev.gatewatch.alerting.service.ChannelRequest;
import dev.gatewatch.alerting.service.ChannelService;
import dev.gatewatch.alerting.service.ChannelView;

/** Alert channels of the calling owner. Secrets are accepted but never returned. */
@Path("/api/v1/channels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@Tag(name = "Alert channels")
public class ChannelResource {

    private final ChannelService channels;
    private final CurrentOwner owner;

    public ChannelResource(ChannelService channels, CurrentOwner owner) {
        this.channels = channels;
        this.owner = owner;
    }

    @POST
    @Operation(operationId = "createChannel",
            summary = "Create a channel", description = "slack: secrets.webhookUrl; email: settings.recipients; "
            + "webhook: settings.url and secrets.secret (16+ characters, signs each request)")
    @APIResponseSchema(value = ChannelView.class, responseCode = "201", responseDescription = OpenApiDocument.CREATED_AT_LOCATION)
    public RestResponse<ChannelView> create(ChannelRequest request) {
        ChannelView created = channels.create(owner.id(), request);
        return RestResponse.ResponseBuilder.<ChannelView>created(URI.create("/api/v1/channels/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(operationId = "listChannels", summary = "Your alert channels (Slack, e-mail, webhook)")
    public List<ChannelView> list() {
        return channels.list(owner.id());
    }

    @GET
    @Path("/{channelId}")
    @Operation(operationId = "getChannel", summary = "One alert channel")
    public ChannelView get(@RestPath long channelId) {
        return channels.get(owner.id(), channelId);
    }

    @PUT
    @Path("/{channelId}")
    @Operation(operationId = "replaceChannel",
            summary = "Replace a channel's settings", description = "Secrets left out keep their stored value")
    public ChannelView replace(@RestPath long channelId, ChannelRequest request) {
        return channels.replace(owner.id(), channelId, request);
    }

    @DELETE
    @Path("/{channelId}")
    @ResponseStatus(204)
    @Operation(operationId = "deleteChannel", summary = "Delete a channel")
    public void delete(@RestPath long channelId) {
        channels.delete(owner.id(), channelId);
    }

    @POST
    @Path("/{channelId}/test")
    @Operation(operationId = "testChannel", summary = "Send a sample alert now and show the receiver's answer")
    public ChannelView.TestResult test(@RestPath long channelId) {
        return channels.test(owner.id(), channelId);
    }

    @GET
    @Path("/{channelId}/deliveries")
    @Operation(operationId = "listChannelDeliveries",
            summary = "Alerts sent through this channel, newest first, with attempts and the receiver's answers")
    public List<ChannelView.DeliveryView> deliveries(@RestPath long channelId, @RestQuery @DefaultValue("50") int limit) {
        return channels.deliveries(owner.id(), channelId, limit);
    }
}
