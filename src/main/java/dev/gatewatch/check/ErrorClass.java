package dev.gatewatch.check;

import java.util.Locale;

/** Why a check failed, as a stable code stored with the result and used by the analyzer and alerts. */
public enum ErrorClass {
    DNS_NXDOMAIN, DNS_SERVFAIL, DNS_TIMEOUT, DNS_NO_ADDRESS,
    CONNECT_REFUSED, CONNECT_TIMEOUT,
    TLS_HANDSHAKE, TLS_EXPIRED, TLS_HOSTNAME, TLS_UNTRUSTED,
    READ_TIMEOUT, CONNECTION_RESET, MALFORMED_RESPONSE,
    TOO_MANY_REDIRECTS, BODY_TOO_LARGE, ASSERTION_FAILED,
    /** The address the resolver returned is inside a refused network (SSRF guard); nothing was sent to it. */
    TARGET_BLOCKED,
    /**
     * PostgreSQL refused this result's details (a data error the writer could not repair); it was stored without them,
     * keeping its verdict, status and timings.
     */
    UNSTORABLE_RESULT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
