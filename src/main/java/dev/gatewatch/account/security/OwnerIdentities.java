package dev.gatewatch.account.security;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.Owner;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** Builds the security identity every authentication path ends in. */
final class OwnerIdentities {

    static final String ROLE = "owner";

    private OwnerIdentities() {
    }

    static SecurityIdentity of(Owner owner, String via) {
        return of(owner.id, owner.email, via);
    }

    static SecurityIdentity of(long ownerId, String email, String via) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(email))
                .addRole(ROLE)
                .addAttribute(CurrentOwner.OWNER_ID, ownerId)
                .addAttribute("gatewatch.auth", via)
                .build();
    }
}
