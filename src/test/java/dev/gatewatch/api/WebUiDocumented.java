package dev.gatewatch.api;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The API document with the web UI's pages, forms, status pages and badges in it, which the published one leaves out
 * (mp.openapi.scan.exclude.packages): so that the tests that walk every operation of the document (OpenApiContractTest's
 * hostile input, TenantIsolationTest's other owner) walk the web UI's too, and cover a new page the day it is added.
 */
public class WebUiDocumented implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // the pages have no @Operation(operationId): the contract test names them by class and method
        // and diagnosis without an account on, so that its endpoints answer rather than 404
        return Map.of("mp.openapi.scan.exclude.packages", "dev.gatewatch.none",
                "mp.openapi.extensions.smallrye.operationIdStrategy", "CLASS_METHOD",
                "gatewatch.diagnosis.anonymous", "true");
    }
}
