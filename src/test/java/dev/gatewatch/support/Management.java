package dev.gatewatch.support;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health, metrics) of the app a @QuarkusTest started, on its own port. */
public final class Management {

    private Management() {
    }

    /** Like RestAssured's {@code given()}, aimed at the management port instead of the public one. */
    public static RequestSpecification given() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port());
    }

    /** The port it listens on (the test profile asks for a free one; Quarkus records the one it got). */
    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }
}
