package dev.gatewatch.account.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import dev.gatewatch.account.AccountService;
import dev.gatewatch.account.AccountService.CreatedToken;
import dev.gatewatch.account.AccountService.TokenView;
import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.PasswordHashing;
import dev.gatewatch.account.login.LoginService;
import dev.gatewatch.account.login.LoginService.Outcome;
import dev.gatewatch.account.login.SessionService;
import dev.gatewatch.account.security.SessionCookie;
import dev.gatewatch.api.ClientAddress;
import dev.gatewatch.api.Durations;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** Server-rendered sign-up, login, password and token pages of the web UI. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI", description = "HTML pages; cookie session and CSRF token required for forms")
public class AccountPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String csrf, String email, String problem, boolean registered, boolean reset,
                boolean signupOpen);

        static native TemplateInstance password(String csrf, String email, List<FieldError> errors, boolean changed, String problem);

        static native TemplateInstance signup(String csrf, String email, List<FieldError> errors, boolean open);

        static native TemplateInstance tokens(String csrf, String email, List<TokenView> tokens, CreatedToken created,
                List<FieldError> errors);
    }

    private final AccountService accounts;
    private final LoginService logins;
    private final SessionService sessions;
    private final SessionCookie cookie;
    private final CurrentOwner owner;
    private final GatewatchConfig config;

    public AccountPages(AccountService accounts, LoginService logins, SessionService sessions, SessionCookie cookie,
            CurrentOwner owner, GatewatchConfig config) {
        this.accounts = accounts;
        this.logins = logins;
        this.sessions = sessions;
        this.cookie = cookie;
        this.owner = owner;
        this.config = config;
    }

    @GET
    @Path("login")
    public String login(@QueryParam("registered") String registered, @QueryParam("reset") String reset, RoutingContext rc) {
        return Templates.login(Csrf.token(rc), "", null, registered != null, reset != null, config.web().signupOpen()).render();
    }

    @POST
    @Path("login")
    @APIResponse(responseCode = "401", description = "Wrong e-mail or password: the login page again")
    @APIResponse(responseCode = "429", description = "Too many failures lately: the page again, with Retry-After")
    @APIResponse(responseCode = "503", description = "Too many logins at once on this node: the page again, with Retry-After")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logIn(@FormParam("email") String email, @FormParam("password") String password,
            @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        Outcome outcome = logins.logIn(email, password, ClientAddress.of(rc), rc.request().getHeader("User-Agent"));
        if (outcome instanceof Outcome.LoggedIn in) {
            return Response.seeOther(URI.create("/")).cookie(cookie.of(in.token())).build();
        }
        if (outcome instanceof Outcome.CodeNeeded code) {
            return Response.seeOther(URI.create("/login/code")).cookie(cookie.of(code.token())).build();
        }
        return refused(outcome, Templates.login(Csrf.token(rc), email == null ? "" : email, problem(outcome), false, false,
                config.web().signupOpen()).render());
    }

    @GET
    @Path("account/password")
    public String passwordPage(RoutingContext rc) {
        return Templates.password(Csrf.token(rc), owner.email(), List.of(), false, null).render();
    }

    @POST
    @Path("account/password")
    @APIResponse(responseCode = "200", description = "Changed: the page saying so, with a new session cookie")
    @APIResponse(responseCode = "429", description = "Too many failures lately: the page again, with Retry-After")
    @APIResponse(responseCode = "503", description = "Too many logins at once on this node: the page again, with Retry-After")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@FormParam("currentPassword") String current, @FormParam("newPassword") String next,
            @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        try {
            Outcome outcome = logins.changePassword(owner.id(), current, next, ClientAddress.of(rc), rc.request().getHeader("User-Agent"));
            if (outcome instanceof Outcome.LoggedIn in) {
                return Response.ok(Templates.password(Csrf.token(rc), owner.email(), List.of(), true, null).render())
                        .cookie(cookie.of(in.token())).build();
            }
            return refused(outcome, Templates.password(Csrf.token(rc), owner.email(), List.of(), false, problem(outcome)).render());
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.password(Csrf.token(rc), owner.email(), e.errors(), false, null).render()).build();
        }
    }

    /** 401 for a wrong password, 429 with Retry-After when throttled, 503 with Retry-After when busy. */
    private static Response refused(Outcome outcome, String page) {
        if (outcome instanceof Outcome.Throttled t) {
            return Response.status(429).header("Retry-After", seconds(t.retryAfter())).entity(page).build();
        }
        if (outcome instanceof Outcome.Busy) {
            return Response.status(503).header("Retry-After", 2).entity(page).build();
        }
        return Response.status(401).entity(page).build();
    }

    private static String problem(Outcome outcome) {
        if (outcome instanceof Outcome.Throttled t) {
            return "Too many failed logins for this account or from this address. " + tryAgainIn(t.retryAfter());
        }
        return outcome instanceof Outcome.Busy ? "Too many logins at once. Try again in a moment." : "Wrong e-mail or password.";
    }

    /** A wait as Retry-After's whole seconds, rounded up (never 0: that would invite an immediate retry). */
    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** "Try again in 16 s." for a throttled form. */
    static String tryAgainIn(Duration d) {
        return "Try again in " + Durations.words(Duration.ofSeconds(seconds(d))) + ".";
    }

    @GET
    @Path("signup")
    public String signupPage(RoutingContext rc) {
        return Templates.signup(Csrf.token(rc), "", List.of(), config.web().signupOpen()).render();
    }

    @POST
    @Path("signup")
    @APIResponse(responseCode = "503", description = "Too many logins at once on this node: the page again, with Retry-After")
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
        } catch (PasswordHashing.Busy e) {
            return Response.status(503).header("Retry-After", 2).entity(Templates.signup(Csrf.token(rc), email == null ? "" : email,
                    List.of(new FieldError("password", "could not be checked: too many sign-ups at once, try again in a moment")), true)
                    .render()).build();
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
    public Response logout(@FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie,
            @CookieParam(SessionCookie.NAME) String session) {
        Csrf.verify(csrfCookie, csrf);
        sessions.end(session);
        return Response.seeOther(URI.create("/login")).cookie(cookie.cleared()).build();
    }
}
