package dev.gatewatch.api;

import io.vertx.ext.web.RoutingContext;

/** Who is asking, for rate limits and security notices. */
public final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * The peer's address: the client's own where {@code quarkus.http.proxy.proxy-address-forwarding} trusts the
     * forwarding headers of a reverse proxy in front of Gatewatch, else the proxy's (every visitor then shares one).
     */
    public static String of(RoutingContext rc) {
        var address = rc.request().remoteAddress();
        return address == null ? null : address.hostAddress();
    }
}
