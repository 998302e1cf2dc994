package dev.gatewatch.account.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;

import dev.gatewatch.account.AccountService;
import dev.gatewatch.account.AccountService.CreatedToken;
import dev.gatewatch.account.AccountService.TokenView;
import dev.gatewatch.account.CurrentOwner;

/** API tokens of the calling owner. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens")
public class TokenResource {

    /** What to call a new token and when it expires (days; none = never). */
    public record NewToken(String name, Integer expiresInDays) {
    }

    private final AccountService accounts;
    private final CurrentOwner owner;

    public TokenResource(AccountService accounts, CurrentOwner owner) {
        this.accounts = accounts;
        this.owner = owner;
    }

    @GET
    @Operation(operationId = "listTokens", summary = "Your API tokens, without their secrets")
    public List<TokenView> list() {
        return accounts.tokens(owner.id());
    }

    @POST
    @ResponseStatus(201)
    @APIResponseSchema(value = CreatedToken.class, responseCode = "201", responseDescription = "Created; the secret is shown only now")
    @Operation(operationId = "createToken", summary = "Create an API token")
    public CreatedToken create(NewToken request) {
        NewToken r = request == null ? new NewToken(null, null) : request;
        return accounts.createToken(owner.id(), r.name(), r.expiresInDays());
    }

    @DELETE
    @Path("/{tokenId}")
    @Operation(operationId = "revokeToken", summary = "Revoke a token: it stops working at once")
    public TokenView revoke(@RestPath long tokenId) {
        return accounts.revokeToken(owner.id(), tokenId);
    }
}
