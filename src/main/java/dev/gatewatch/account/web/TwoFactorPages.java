package dev.gatewatch.account.web;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.login.LoginService;
import dev.gatewatch.account.login.LoginService.Outcome;
import dev.gatewatch.account.login.TwoFactorService;
import dev.gatewatch.account.login.TwoFactorService.CodeOutcome;
import dev.gatewatch.account.login.TwoFactorService.Enrolment;
import dev.gatewatch.account.security.SessionCookie;
import dev.gatewatch.api.ClientAddress;
import dev.gatewatch.api.InvalidInputException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** Two-factor login: the code form after the password, and turning an authenticator app on and off. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI", description = "HTML pages; cookie session and CSRF token required for forms")
public class TwoFactorPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance code(String csrf, String problem);

        static native TemplateInstance settings(String csrf, String email, boolean enabled, long codesLeft, Enrolment enrolment,
                String qr, List<String> recoveryCodes, String problem);
    }

    private final TwoFactorService twoFactor;
    private final LoginService logins;
    private final SessionCookie cookie;
    private final CurrentOwner owner;

    public TwoFactorPages(TwoFactorService twoFactor, LoginService logins, SessionCookie cookie, CurrentOwner owner) {
        this.twoFactor = twoFactor;
        this.logins = logins;
        this.cookie = cookie;
        this.owner = owner;
    }

    @GET
    @Path("login/code")
    public String codePage(RoutingContext rc) {
        return Templates.code(Csrf.token(rc), null).render();
    }

    @POST
    @Path("login/code")
    @APIResponse(responseCode = "401", description = "Wrong or used code: the code form again")
    @APIResponse(responseCode = "429", description = "Too many failures lately: the page again, with Retry-After")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response code(@FormParam("code") String code, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie,
            @CookieParam(SessionCookie.NAME) String pending, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        CodeOutcome outcome = twoFactor.complete(pending, code, ClientAddress.of(rc), rc.request().getHeader("User-Agent"));
        if (outcome instanceof CodeOutcome.Accepted in) {
            return Response.seeOther(URI.create("/")).cookie(cookie.of(in.token())).build();
        }
        if (outcome instanceof CodeOutcome.Expired) {
            return Response.seeOther(URI.create("/login")).cookie(cookie.cleared()).build();
        }
        if (outcome instanceof CodeOutcome.Throttled t) {
            return Response.status(429).header("Retry-After", AccountPages.seconds(t.retryAfter())).entity(Templates.code(Csrf.token(rc),
                    "Too many wrong codes. " + AccountPages.tryAgainIn(t.retryAfter())).render()).build();
        }
        return Response.status(401).entity(Templates.code(Csrf.token(rc), "That code is not right (or was used already).").render()).build();
    }

    @GET
    @Path("account/two-factor")
    public String settingsPage(RoutingContext rc) {
        return settings(rc, null, List.of(), null);
    }

    @POST
    @Path("account/two-factor/setup")
    @APIResponse(responseCode = "200", description = "The QR code and key to enrol an app")
    @APIResponse(responseCode = "409", description = "Two-factor login is already on")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setup(@FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        try {
            return Response.ok(settings(rc, twoFactor.begin(owner.id()), List.of(), null)).build();
        } catch (InvalidInputException e) {
            return Response.status(409).entity(settings(rc, null, List.of(), e.errors().get(0).message())).build();
        }
    }

    @POST
    @Path("account/two-factor/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(@FormParam("code") String code, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie,
            @CookieParam(SessionCookie.NAME) String session, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        try {
            List<String> codes = twoFactor.enable(owner.id(), code, session);
            return Response.ok(settings(rc, null, codes, null)).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(settings(rc, twoFactor.pending(owner.id()).orElse(null), List.of(),
                    "Code " + e.errors().get(0).message() + ".")).build();
        }
    }

    @POST
    @Path("account/two-factor/disable")
    @APIResponse(responseCode = "200", description = "Turned off: the settings page")
    @APIResponse(responseCode = "401", description = "Wrong password: it stays on")
    @APIResponse(responseCode = "429", description = "The password cannot be checked now (throttled or busy): it stays on")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable(@FormParam("password") String password, @FormParam(Csrf.FIELD) String csrf,
            @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        Outcome check = logins.check(owner.email(), password, ClientAddress.of(rc));
        if (check instanceof Outcome.Checked) {
            twoFactor.disable(owner.id());
            return Response.ok(settings(rc, null, List.of(), null)).build();
        }
        String why = check instanceof Outcome.Refused ? "That is not your password; two-factor login stays on."
                : "Cannot check the password right now (too many tries or too busy); two-factor login stays on.";
        return Response.status(check instanceof Outcome.Refused ? 401 : 429).entity(settings(rc, null, List.of(), why)).build();
    }

    private String settings(RoutingContext rc, Enrolment enrolment, List<String> recoveryCodes, String problem) {
        long id = owner.id();
        return Templates.settings(Csrf.token(rc), owner.email(), twoFactor.enabled(id), twoFactor.recoveryCodesLeft(id), enrolment,
                enrolment == null ? null : QrSvg.dataUri(enrolment.uri()), recoveryCodes, problem).render();
    }
}
