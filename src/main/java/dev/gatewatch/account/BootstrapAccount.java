package dev.gatewatch.account;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.runtime.StartupEvent;

/** Creates the first account (and optionally a known API token) from configuration, for headless installs. */
@ApplicationScoped
public class BootstrapAccount {

    private static final Logger LOG = Logger.getLogger(BootstrapAccount.class);

    private final GatewatchConfig config;
    private final AccountService accounts;

    public BootstrapAccount(GatewatchConfig config, AccountService accounts) {
        this.config = config;
        this.accounts = accounts;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        var bootstrap = config.bootstrap();
        if (bootstrap.email().isEmpty()) {
            return;
        }
        String email = bootstrap.email().get();
        Owner owner = Owner.findByEmail(email).orElse(null);
        if (owner == null) {
            String password = bootstrap.password().orElseThrow(() -> new IllegalStateException(
                    "gatewatch.bootstrap.email is set but gatewatch.bootstrap.password is not"));
            accounts.signUp(email, password);
            owner = Owner.findByEmail(email).orElseThrow();
            LOG.infof("Created bootstrap account %s", owner.email);
        }
        if (bootstrap.apiToken().isPresent()) {
            String secret = bootstrap.apiToken().get();
            if (!TokenSecret.wellFormed(secret)) {
                throw new IllegalStateException("gatewatch.bootstrap.api-token must be gw_ followed by 32 to 128 "
                        + "URL-safe base64 characters (generate one with: echo gw_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '='))");
            }
            if (ApiToken.count("tokenHash", TokenSecret.hash(secret)) == 0) {
                accounts.store(owner.id, "bootstrap", secret, null);
                // Not even its prefix: the token is a credential the operator chose, the log is read by others.
                LOG.infof("Registered the bootstrap API token (gatewatch.bootstrap.api-token) for %s", owner.email);
            }
        }
    }
}
