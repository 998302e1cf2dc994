package dev.gatewatch.account.web;

import java.net.URI;
import java.time.Duration;
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
import org.jboss.resteasy.reactive.RestPath;

import dev.gatewatch.account.PasswordHashing;
import dev.gatewatch.account.login.PasswordResetService;
import dev.gatewatch.api.ClientAddress;
import dev.gatewatch.api.Durations;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.api.InvalidInputException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** "Forgot your password?": ask for a link by e-mail, then choose a new password through it. */
@Path("/password-reset")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "Web UI", description = "HTML pages; cookie session and CSRF token required for forms")
public class PasswordResetPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance ask(String csrf, String email, boolean sent, String validFor, String problem);

        static native TemplateInstance choose(String csrf, String token, boolean usable, List<FieldError> errors, String problem);
    }

    private final PasswordResetService resets;

    public PasswordResetPages(PasswordResetService resets) {
        this.resets = resets;
    }

    @GET
    public String askPage(RoutingContext rc) {
        return Templates.ask(Csrf.token(rc), "", false, validFor(), null).render();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @APIResponse(responseCode = "200", description = "The page saying a link is on its way if the address has an account")
    @APIResponse(responseCode = "429", description = "Too many links asked for this address: the page again, with Retry-After")
    public Response ask(@FormParam("email") String email, @FormParam(Csrf.FIELD) String csrf, @CookieParam(Csrf.COOKIE) String csrfCookie,
            RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        Duration wait = resets.request(email, ClientAddress.of(rc));
        if (!wait.isZero()) {
            return Response.status(429).header("Retry-After", AccountPages.seconds(wait)).entity(Templates.ask(Csrf.token(rc),
                    email == null ? "" : email, false, validFor(), "Too many reset links asked for this address. " + AccountPages.tryAgainIn(wait))
                    .render()).build();
        }
        return Response.ok(Templates.ask(Csrf.token(rc), email == null ? "" : email, true, validFor(), null).render()).build();
    }

    @GET
    @Path("{token}")
    @APIResponse(responseCode = "200", description = "The form for a new password")
    @APIResponse(responseCode = "410", description = "The link is unknown, used or expired: a page saying so")
    public Response choosePage(@RestPath String token, RoutingContext rc) {
        boolean usable = resets.usable(token);
        return Response.status(usable ? 200 : 410).entity(Templates.choose(Csrf.token(rc), token, usable, List.of(), null).render()).build();
    }

    @POST
    @Path("{token}")
    @APIResponse(responseCode = "410", description = "The link is unknown, used or expired: a page saying so")
    @APIResponse(responseCode = "503", description = "Too many requests at once: the page again, with Retry-After")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response choose(@RestPath String token, @FormParam("newPassword") String newPassword, @FormParam(Csrf.FIELD) String csrf,
            @CookieParam(Csrf.COOKIE) String csrfCookie, RoutingContext rc) {
        Csrf.verify(csrfCookie, csrf);
        try {
            if (resets.reset(token, newPassword)) {
                return Response.seeOther(URI.create("/login?reset=1")).build();
            }
            return Response.status(410).entity(Templates.choose(Csrf.token(rc), token, false, List.of(), null).render()).build();
        } catch (InvalidInputException e) {
            return Response.status(400).entity(Templates.choose(Csrf.token(rc), token, true, e.errors(), null).render()).build();
        } catch (PasswordHashing.Busy e) {
            return Response.status(503).header("Retry-After", 2)
                    .entity(Templates.choose(Csrf.token(rc), token, true, List.of(), "Too many requests at once. Try again in a moment.").render())
                    .build();
        }
    }

    private String validFor() {
        return Durations.words(resets.validity());
    }
}
