package dev.gatewatch.account.web;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import dev.gatewatch.account.AccountService;
import dev.gatewatch.account.AccountService.CreatedToken;
import dev.gatewatch.account.AccountService.TokenView;
import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** Server-rendered sign-up, login and token pages of the web UI. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI", description = "HTML pages; cookie session and CSRF token required for forms")
public class AccountPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String csrf, boolean failed, boolean registered, boolean signupOpen);

        static native TemplateInstance signup(String csrf, String email, List<FieldError> errors, boolean open);

        static native TemplateInstance tokens(String csrf, String email, List<TokenView> tokens, CreatedToken created,
                List<FieldError> errors);
    }

    /** Cookie that Quarkus form authentication keeps the encrypted session in. */
    static final String SESSION_COOKIE = "quarkus-credential";

    private final AccountService accounts;
    private final CurrentOwner owner;
    private final GatewatchConfig config;

    public AccountPages(AccountService accounts, CurrentOwner owner, GatewatchConfig config) {
        this.accounts = accounts;
        this.owner = owner;
        this.config = config;
    }

    @GET
    @Path("login")
    public String login(@QueryParam("error") String error, @QueryParam("registered") String registered, RoutingContext rc) {
        return Templates.login(Csrf.token(rc), error != null, registered != null, config.web().signupOpen()).render();
    }

    @GET
    @Path("signup")
    public String signupPage(RoutingContext rc) {
        return Templates.signup(Csrf.token(rc), "", List.of(), config.web().signupOpen()).render();
    }

    @POST
    @Path("signup")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signup(@FormParam("email") String email, @FormParam("password") String password,
            @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        if (!config.web().signupOpen()) {
            return Response.status(403).entity(Templates.signup(Csrf.token(rc), "", List.of(), false).render()).build();
        }
        try {
            accounts.signUp(email, password);
            return Response.seeOther(URI.create("/login?registered=1")).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.signup(Csrf.token(rc), email == null ? "" : email, e.errors(), true).render()).build();
        }
    }

    @GET
    @Path("account/tokens")
    public String tokens(RoutingContext rc) {
        return tokensPage(rc, null, List.of());
    }

    @POST
    @Path("account/tokens")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "201",
            description = "The tokens page, showing the new token this once")
    public Response createToken(@FormParam("name") String name, @FormParam("expiresInDays") String expiresInDays,
            @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        try {
            Integer days = expiresInDays == null || expiresInDays.isBlank() ? null : parseDays(expiresInDays);
            CreatedToken created = accounts.createToken(owner.id(), name, days);
            return Response.status(201)
                    .entity(tokensPage(rc, created, List.of()))
                    .build();
        } catch (InvalidInputException e) {
            return Response.status(400)
                    .entity(tokensPage(rc, null, e.errors()))
                    .build();
        }
    }

    private String tokensPage(RoutingContext rc, CreatedToken created, List<FieldError> errors) {
        return Templates.tokens(Csrf.token(rc), owner.email(), accounts.tokens(owner.id()), created, errors).render();
    }

    private static Integer parseDays(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("expiresInDays", "must be a whole number of days");
        }
    }

    @POST
    @Path("account/tokens/{tokenId}/revoke")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeToken(@RestPath long tokenId, @FormParam(Csrf.FIELD) String csrf,
            @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Csrf.verify(csrfCookie, csrf);
        accounts.revokeToken(owner.id(), tokenId);
        return Response.seeOther(URI.create("/account/tokens")).build();
    }

    @POST
    @Path("logout")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Csrf.verify(csrfCookie, csrf);
        NewCookie expired = new NewCookie.Builder(SESSION_COOKIE).path("/").maxAge(0).httpOnly(true).value("").build();
        return Response.seeOther(URI.create("/login")).cookie(expired).build();
    }
}
