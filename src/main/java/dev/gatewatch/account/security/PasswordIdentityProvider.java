package dev.gatewatch.account.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import dev.gatewatch.account.Owner;
import dev.gatewatch.api.NulText;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/** Checks the e-mail and password of the login form against the bcrypt hash. */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    /** Compared against when the e-mail is unknown, so both cases take the same time. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-real-password", 12);

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> check(request.getUsername(), new String(request.getPassword().getPassword())));
    }

    @ActivateRequestContext
    SecurityIdentity check(String email, String password) {
        // no address holds U+0000, and PostgreSQL would refuse the lookup: a failed login like any other
        Owner owner = NulText.contains(email) ? null : Owner.findByEmail(email).orElse(null);
        boolean matches = BcryptUtil.matches(password, owner == null ? DUMMY_HASH : owner.passwordHash);
        if (owner == null || !matches) {
            throw new AuthenticationFailedException("wrong e-mail or password");
        }
        return OwnerIdentities.of(owner, "password");
    }
}
