package dev.gatewatch.check.cdn;

import static dev.gatewatch.check.cdn.ErrorSource.EDGE;
import static dev.gatewatch.check.cdn.ErrorSource.NONE;
import static dev.gatewatch.check.cdn.ErrorSource.ORIGIN;
import static dev.gatewatch.check.cdn.ErrorSource.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CdnParserTest {

    record Case(String name, int status, Map<String, List<String>> headers, String body, EdgeInfo expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String CF_RAY = "8a1b2c3d4e5f6789-FRA";
    private static final String CF_ID = "Xy3kPq0fZ9bT7vR2sL1mN8wQ4eA6cD5gH0jK3uI9oP2yT1rE7wQ==";
    private static final String VERCEL_ID = "fra1::iad1::ab12c-1700000000000-abcdef012345";
    private static final String FLY_ID = "01HABCDEF0123456789XYZ-ams";
    private static final String AZURE_REF = "20231114T101010Z-16f5d8b7c5c8z2q6hC1FRAx4n40000000abc000000000xyz";

    private static final String NGINX_502 = """
            <html>
            <head><title>502 Bad Gateway</title></head>
            <body>
            <center><h1>502 Bad Gateway</h1></center>
            <hr><center>nginx/1.25.3</center>
            </body>
            </html>
            """;
    private static final String CF_BRANDED_502 = """
            <html>
            <head><title>502 Bad Gateway</title></head>
            <body>
            <center><h1>502 Bad Gateway</h1></center>
            <hr><center>cloudflare</center>
            </body>
            </html>
            """;
    private static final String ENVOY_503 =
            "upstream connect error or disconnect/reset before headers. reset reason: connection failure";

    static Stream<Case> cases() {
        return Stream.of(
                // ---- Cloudflare
                c("cloudflare 200 hit", 200,
                        h("date", "Tue, 14 Nov 2023 10:10:10 GMT", "cf-ray", CF_RAY, "server", "cloudflare",
                                "cf-cache-status", "HIT", "age", "120"), "<!doctype html><title>Home</title>",
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", NONE, null)),
                c("cloudflare 521 web server is down", 521,
                        h("cf-ray", "8a1b2c3d4e5f6789-AMS", "server", "cloudflare", "content-type", "text/html; charset=UTF-8"),
                        "<!DOCTYPE html><title>example.com | 521: Web server is down</title>"
                                + "<link rel=\"stylesheet\" href=\"/cdn-cgi/styles/cf.errors.css\">",
                        e("cloudflare", "AMS", "8a1b2c3d4e5f6789-AMS", "cloudflare", EDGE, "cloudflare")),
                c("cloudflare 522 connection timed out", 522,
                        h("cf-ray", "7d5c4b3a2f1e0d9c-SJC", "server", "cloudflare"),
                        "<title>example.com | 522: Connection timed out</title><span class=\"cf-error-code\">522</span>",
                        e("cloudflare", "SJC", "7d5c4b3a2f1e0d9c-SJC", "cloudflare", EDGE, "cloudflare")),
                c("cloudflare 524 timeout, empty body", 524,
                        h("cf-ray", "7d5c4b3a2f1e0d9c-LHR", "server", "cloudflare"), "",
                        e("cloudflare", "LHR", "7d5c4b3a2f1e0d9c-LHR", "cloudflare", EDGE, "cloudflare")),
                c("cloudflare 530 error 1016", 530,
                        h("cf-ray", "7d5c4b3a2f1e0d9c-NRT", "server", "cloudflare"),
                        "<title>example.com | 530: Origin DNS error</title>",
                        e("cloudflare", "NRT", "7d5c4b3a2f1e0d9c-NRT", "cloudflare", EDGE, "cloudflare")),
                c("cloudflare 502 with nginx body is origin", 502,
                        h("cf-ray", CF_RAY, "server", "cloudflare", "cf-cache-status", "DYNAMIC"), NGINX_502,
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", ORIGIN, "nginx")),
                c("cloudflare 502 branded page is edge", 502,
                        h("cf-ray", CF_RAY, "server", "cloudflare"), CF_BRANDED_502,
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", EDGE, "cloudflare")),
                c("cloudflare 503 with envoy body is origin", 503,
                        h("cf-ray", CF_RAY, "server", "cloudflare", "cf-cache-status", "DYNAMIC"), ENVOY_503,
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", ORIGIN, "envoy")),
                c("cloudflare 403 managed challenge", 403,
                        h("cf-ray", CF_RAY, "server", "cloudflare", "cf-mitigated", "challenge"),
                        "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>",
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", EDGE, "cloudflare")),
                c("cloudflare 404 from the app, no signature", 404,
                        h("cf-ray", CF_RAY, "server", "cloudflare", "cf-cache-status", "MISS"),
                        "<h1>Not found</h1><p>We could not find that page.</p>",
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", UNKNOWN, null)),
                c("cloudflare legacy server cloudflare-nginx 502 branded", 502,
                        h("cf-ray", CF_RAY, "server", "cloudflare-nginx"), CF_BRANDED_502,
                        e("cloudflare", "FRA", CF_RAY, "cloudflare-nginx", EDGE, "cloudflare")),
                c("cloudflare lower-case colo", 200,
                        h("cf-ray", "8a1b2c3d4e5f6789-fra"),
                        "", e("cloudflare", "FRA", "8a1b2c3d4e5f6789-fra", null, NONE, null)),

                // ---- CloudFront
                c("cloudfront 200 hit from S3", 200,
                        h("server", "AmazonS3", "x-cache", "Hit from cloudfront",
                                "via", "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)",
                                "x-amz-cf-pop", "FRA56-P1", "x-amz-cf-id", CF_ID), "",
                        e("cloudfront", "FRA56-P1", CF_ID, "AmazonS3", NONE, null)),
                c("cloudfront 502 generated by cloudfront", 502,
                        h("server", "CloudFront", "x-cache", "Error from cloudfront",
                                "via", "1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)",
                                "x-amz-cf-pop", "IAD89-C1", "x-amz-cf-id", CF_ID),
                        """
                                <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
                                <HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
                                <TITLE>ERROR: The request could not be satisfied</TITLE>
                                </HEAD><BODY>
                                <H1>502 ERROR</H1>
                                <H2>The request could not be satisfied.</H2>
                                <HR noshade size="1px">
                                CloudFront wasn't able to connect to the origin.
                                <BR clear="all">
                                <HR noshade size="1px"><PRE>
                                Generated by cloudfront (CloudFront)
                                Request ID: Xy3kPq0fZ9bT7vR2sL1mN8wQ4eA6cD5gH0jK3uI9oP2yT1rE7wQ==
                                </PRE>
                                """,
                        e("cloudfront", "IAD89-C1", CF_ID, "CloudFront", EDGE, "cloudfront")),
                c("cloudfront 503 passed through from nginx", 503,
                        h("server", "nginx/1.24.0", "x-cache", "Error from cloudfront",
                                "via", "1.1 abc.cloudfront.net (CloudFront)", "x-amz-cf-pop", "LHR61-P4", "x-amz-cf-id", CF_ID),
                        "<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
                                + "<center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx/1.24.0</center>",
                        e("cloudfront", "LHR61-P4", CF_ID, "nginx/1.24.0", ORIGIN, "nginx")),
                c("cloudfront 504 only x-cache error", 504,
                        h("server", "CloudFront", "x-cache", "Error from cloudfront", "x-amz-cf-pop", "SFO5-C1",
                                "x-amz-cf-id", CF_ID), "",
                        e("cloudfront", "SFO5-C1", CF_ID, "CloudFront", EDGE, "cloudfront")),
                c("cloudfront 403 from S3 origin", 403,
                        h("server", "AmazonS3", "x-cache", "Error from cloudfront", "x-amz-cf-pop", "FRA56-P1",
                                "x-amz-cf-id", CF_ID),
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message>",
                        e("cloudfront", "FRA56-P1", CF_ID, "AmazonS3", ORIGIN, "s3")),

                // ---- Fastly
                c("fastly 200 shielded", 200,
                        h("x-served-by", "cache-iad-kiad7000025-IAD, cache-fra-eddf8230089-FRA",
                                "x-cache", "MISS, HIT", "x-cache-hits", "0, 3", "x-timer", "S1700000000.123456,VS0,VE1",
                                "via", "1.1 varnish, 1.1 varnish", "fastly-restarts", "1"), "{}",
                        e("fastly", "FRA", null, null, NONE, null)),
                c("fastly 503 guru mediation", 503,
                        h("server", "Varnish", "x-served-by", "cache-fra-eddf8230089-FRA", "x-cache", "MISS",
                                "x-timer", "S1700000000.123456,VS0,VE5002", "via", "1.1 varnish",
                                "x-fastly-request-id", "9a1b2c3d4e5f60718293a4b5c6d7e8f901234567"),
                        """
                                <?xml version="1.0" encoding="utf-8"?>
                                <html><head><title>503 Backend is unhealthy</title></head>
                                <body><h1>Error 503 Backend is unhealthy</h1><p>Backend is unhealthy</p>
                                <h3>Guru Mediation:</h3><p>Details: cache-fra-eddf8230089-FRA 1700000000 123456789</p>
                                <hr><p>Varnish cache server</p></body></html>
                                """,
                        e("fastly", "FRA", "9a1b2c3d4e5f60718293a4b5c6d7e8f901234567", "Varnish", EDGE, "fastly")),
                c("fastly multiple x-served-by header lines", 200,
                        h("x-served-by", "cache-iad-kiad7000025-IAD", "x-served-by", "cache-ams21080-AMS"), "",
                        e("fastly", "AMS", null, null, NONE, null)),
                c("self-hosted varnish 503 is origin", 503,
                        h("server", "Varnish", "via", "1.1 varnish (Varnish/7.4)", "x-varnish", "32770"),
                        "<h1>Error 503 Backend fetch failed</h1><h3>Guru Meditation:</h3><p>XID: 32770</p>"
                                + "<hr><p>Varnish cache server</p>",
                        e(null, null, null, "Varnish", ORIGIN, "varnish")),

                // ---- Akamai
                c("akamai 200", 200,
                        h("server", "Apache", "x-akamai-transformed", "9 - 0 pmb=mRUM,2",
                                "akamai-grn", "0.2a7b1602.1700000000.1a2b3c4d"), "",
                        e("akamai", null, "0.2a7b1602.1700000000.1a2b3c4d", "Apache", NONE, null)),
                c("akamai 403 access denied, entity-encoded reference", 403,
                        h("server", "AkamaiGHost", "mime-version", "1.0", "content-type", "text/html"),
                        """
                                <HTML><HEAD>
                                <TITLE>Access Denied</TITLE>
                                </HEAD><BODY>
                                <H1>Access Denied</H1>
                                You don't have permission to access "http&#58;&#47;&#47;www&#46;example&#46;com&#47;" on this server.<P>
                                Reference&#32;&#35;18&#46;2a7b1602&#46;1700000000&#46;1a2b3c4d
                                <P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;2a7b1602&#46;1700000000&#46;1a2b3c4d</P>
                                </BODY>
                                </HTML>
                                """,
                        e("akamai", null, "18.2a7b1602.1700000000.1a2b3c4d", "AkamaiGHost", EDGE, "akamai")),
                c("akamai 503 passed through from apache", 503,
                        h("server", "Apache/2.4.57 (Debian)", "x-cache", "TCP_MISS from a23-45-67-89.deploy.akamaitechnologies.com (AkamaiGHost/11.3.2-123) (-)"),
                        "<h1>Service Unavailable</h1><hr><address>Apache/2.4.57 (Debian) Server at www.example.com Port 443</address>",
                        e("akamai", null, null, "Apache/2.4.57 (Debian)", ORIGIN, "apache")),

                // ---- Vercel
                c("vercel 200", 200,
                        h("server", "Vercel", "x-vercel-id", VERCEL_ID, "x-vercel-cache", "MISS"), "<html></html>",
                        e("vercel", "fra1", VERCEL_ID, "Vercel", NONE, null)),
                c("vercel 504 function timeout", 504,
                        h("server", "Vercel", "x-vercel-id", "cdg1::iad1::xyz12-1700000000000-0123456789ab",
                                "x-vercel-error", "FUNCTION_INVOCATION_TIMEOUT"),
                        "An error occurred with your deployment\n\nFUNCTION_INVOCATION_TIMEOUT\n\ncdg1::iad1::xyz12",
                        e("vercel", "cdg1", "cdg1::iad1::xyz12-1700000000000-0123456789ab", "Vercel", EDGE, "vercel")),

                // ---- Netlify
                c("netlify 200", 200,
                        h("server", "Netlify", "x-nf-request-id", "01HF3X3N8Q6G2Z5K7M9P1R3T5V",
                                "cache-status", "\"Netlify Edge\"; hit"), "",
                        e("netlify", null, "01HF3X3N8Q6G2Z5K7M9P1R3T5V", "Netlify", NONE, null)),
                c("netlify 404 default page", 404,
                        h("server", "Netlify", "x-nf-request-id", "01HF3X3N8Q6G2Z5K7M9P1R3T5V"),
                        "<h1>Page not found</h1><p>Looks like you&#39;ve followed a broken link or entered a URL "
                                + "that doesn&#39;t exist on this site.</p>",
                        e("netlify", null, "01HF3X3N8Q6G2Z5K7M9P1R3T5V", "Netlify", EDGE, "netlify")),
                c("netlify 502 branded", 502,
                        h("server", "Netlify", "x-nf-request-id", "01HF3X3N8Q6G2Z5K7M9P1R3T5V"),
                        "<title>Bad gateway</title><p>Netlify could not reach the function.</p>",
                        e("netlify", null, "01HF3X3N8Q6G2Z5K7M9P1R3T5V", "Netlify", EDGE, "netlify")),

                // ---- Fly
                c("fly 200", 200,
                        h("server", "Fly/51ee4ef9 (2024-01-10)", "via", "1.1 fly.io", "fly-request-id", FLY_ID), "ok",
                        e("fly", "ams", FLY_ID, "Fly/51ee4ef9 (2024-01-10)", NONE, null)),
                c("fly 502 from fly-proxy, empty body", 502,
                        h("server", "Fly/51ee4ef9 (2024-01-10)", "via", "1.1 fly.io", "fly-request-id", FLY_ID), "",
                        e("fly", "ams", FLY_ID, "Fly/51ee4ef9 (2024-01-10)", EDGE, "fly")),
                c("fly 500 from gunicorn app", 500,
                        h("server", "gunicorn", "via", "1.1 fly.io", "fly-request-id", "01HABCDEF0123456789XYZ-sjc"),
                        "<html>\n  <head>\n    <title>Internal Server Error</title>\n  </head>\n  <body>\n"
                                + "    <h1><p>Internal Server Error</p></h1>\n  </body>\n</html>",
                        e("fly", "sjc", "01HABCDEF0123456789XYZ-sjc", "gunicorn", ORIGIN, "gunicorn")),

                // ---- Bunny
                c("bunny 200", 200,
                        h("server", "BunnyCDN-DE1-1034", "cdn-requestid", "9d1c0b1e2f3a4b5c6d7e8f9a0b1c2d3e",
                                "cdn-cache", "HIT", "cdn-pullzone", "123456"), "",
                        e("bunny", "DE1", "9d1c0b1e2f3a4b5c6d7e8f9a0b1c2d3e", "BunnyCDN-DE1-1034", NONE, null)),
                c("bunny 504 branded", 504,
                        h("server", "BunnyCDN-UK1-862", "cdn-requestid", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
                        "<title>504 Gateway Timeout</title><p>The origin did not respond in time. Powered by bunny.net</p>",
                        e("bunny", "UK1", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "BunnyCDN-UK1-862", EDGE, "bunny")),

                // ---- Azure Front Door
                c("azure front door 200", 200,
                        h("x-azure-ref", AZURE_REF, "x-cache", "TCP_HIT", "x-fd-int-roxy-purgeid", "12345678",
                                "server", "Kestrel"), "",
                        e("azure-front-door", null, AZURE_REF, "Kestrel", NONE, null)),
                c("azure front door 503 services unavailable", 503,
                        h("x-azure-ref", AZURE_REF, "x-cache", "CONFIG_NOCACHE"),
                        "<h2>Our services aren&#39;t available right now</h2><p>We&#39;re working to restore all "
                                + "services as soon as possible. Please check back soon.</p>",
                        e("azure-front-door", null, AZURE_REF, null, EDGE, "azure-front-door")),
                c("azure msedge-ref gives the edge node", 200,
                        h("x-msedge-ref", "Ref A: 0123456789ABCDEF0123 Ref B: AMS04EDGE0110 Ref C: 2023-11-14T10:10:10Z"),
                        "",
                        e("azure-front-door", "AMS04EDGE0110",
                                "Ref A: 0123456789ABCDEF0123 Ref B: AMS04EDGE0110 Ref C: 2023-11-14T10:10:10Z", null, NONE, null)),

                // ---- Google
                c("google 200 cloud run behind GCLB", 200,
                        h("server", "Google Frontend", "via", "1.1 google",
                                "x-cloud-trace-context", "105445aa7843bc8bf206b12000100000/1;o=1"), "",
                        e("google", null, "105445aa7843bc8bf206b12000100000", "Google Frontend", NONE, null)),
                c("google 502 server error page", 502,
                        h("via", "1.1 google", "content-type", "text/html; charset=UTF-8"),
                        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
                                + "  <title>Error 502 (Server Error)!!1</title>\n  <p><b>502.</b> <ins>That’s an error.</ins>\n"
                                + "  <p>The server encountered a temporary error and could not complete your request.",
                        e("google", null, null, null, EDGE, "google")),
                c("google lb 503 no healthy upstream", 503,
                        h("via", "1.1 google", "content-type", "text/plain"), "no healthy upstream",
                        e("google", null, null, null, ORIGIN, "envoy")),

                // ---- origin only, no CDN
                c("plain nginx 502", 502, h("server", "nginx/1.25.3"), NGINX_502,
                        e(null, null, null, "nginx/1.25.3", ORIGIN, "nginx")),
                c("nginx 502 without version, no server header", 502, h(),
                        "<html><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
                        e(null, null, null, null, ORIGIN, "nginx")),
                c("openresty 504", 504, h("server", "openresty"),
                        "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1>"
                                + "</center><hr><center>openresty</center></body></html>",
                        e(null, null, null, "openresty", ORIGIN, "openresty")),
                c("apache 503", 503, h("server", "Apache/2.4.57 (Debian)"),
                        "<title>503 Service Unavailable</title><h1>Service Unavailable</h1><hr>"
                                + "<address>Apache/2.4.57 (Debian) Server at example.com Port 443</address>",
                        e(null, null, null, "Apache/2.4.57 (Debian)", ORIGIN, "apache")),
                c("envoy 503", 503, h("server", "envoy", "content-type", "text/plain"), ENVOY_503,
                        e(null, null, null, "envoy", ORIGIN, "envoy")),
                c("istio-envoy server only", 504, h("server", "istio-envoy"), "",
                        e(null, null, null, "istio-envoy", ORIGIN, "envoy")),
                c("haproxy 503", 503, h("cache-control", "no-cache", "content-type", "text/html"),
                        "<html><body><h1>503 Service Unavailable</h1>\r\nNo server is available to handle this request.\r\n</body></html>\r\n",
                        e(null, null, null, null, ORIGIN, "haproxy")),
                c("haproxy 502", 502, h(),
                        "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n",
                        e(null, null, null, null, ORIGIN, "haproxy")),
                c("iis 500", 500, h("server", "Microsoft-IIS/10.0", "x-powered-by", "ASP.NET"),
                        "<title>500 - Internal server error.</title>",
                        e(null, null, null, "Microsoft-IIS/10.0", ORIGIN, "iis")),
                c("traefik bad gateway, no server header", 502, h("content-type", "text/plain; charset=utf-8"),
                        "Bad Gateway",
                        e(null, null, null, null, ORIGIN, "traefik")),
                c("caddy 502 empty body", 502, h("server", "Caddy"), "",
                        e(null, null, null, "Caddy", ORIGIN, "caddy")),
                c("litespeed 503", 503, h("server", "LiteSpeed"),
                        "<p>Proudly powered by LiteSpeed Web Server</p>",
                        e(null, null, null, "LiteSpeed", ORIGIN, "litespeed")),
                c("kestrel 500", 500, h("server", "Kestrel"), "",
                        e(null, null, null, "Kestrel", ORIGIN, "kestrel")),
                c("tomcat 500 is not apache", 500, h("server", "Apache-Coyote/1.1"),
                        "<h3>Apache Tomcat/9.0.83</h3>",
                        e(null, null, null, "Apache-Coyote/1.1", ORIGIN, "tomcat")),
                c("no headers 500 unknown", 500, h(), "", e(null, null, null, null, UNKNOWN, null)),
                c("no headers 200", 200, h(), "", e(null, null, null, null, NONE, null)),
                c("unrecognised server 404", 404, h("server", "SomethingElse/1.0"), "not here",
                        e(null, null, null, "SomethingElse/1.0", UNKNOWN, null)),
                c("status 0 means no response", 0, h(), "", e(null, null, null, null, NONE, null)),

                // ---- malformed / odd values
                c("cf-ray without colo", 200, h("cf-ray", "8a1b2c3d4e5f6789"), "",
                        e("cloudflare", null, "8a1b2c3d4e5f6789", null, NONE, null)),
                c("cf-ray garbage", 520, h("cf-ray", "not-a-ray"), "",
                        e("cloudflare", null, "not-a-ray", null, EDGE, "cloudflare")),
                c("cf-ray only punctuation", 200, h("cf-ray", " - "), "",
                        e("cloudflare", null, null, null, NONE, null)),
                c("cf-ray with control characters", 200, h("cf-ray", "8a1b2c3d4e5f6789-FRA\u0000\n"), "",
                        e("cloudflare", null, null, null, NONE, null)),
                c("x-amz-cf-pop not a pop", 200, h("x-amz-cf-pop", "<script>alert(1)</script>", "x-amz-cf-id", ""), "",
                        e("cloudfront", null, null, null, NONE, null)),
                c("x-served-by only commas", 200, h("x-served-by", ", , cache-", "x-timer", "S1.2,VS0"), "",
                        e("fastly", null, null, null, NONE, null)),
                c("x-vercel-id only separators", 200, h("x-vercel-id", "::::"), "",
                        e("vercel", null, null, null, NONE, null)),
                c("fly-request-id without region", 200, h("fly-request-id", "nohyphen"), "",
                        e("fly", null, "nohyphen", null, NONE, null)),
                c("bunny server without pop", 200, h("server", "BunnyCDN"), "",
                        e("bunny", null, null, "BunnyCDN", NONE, null)),
                c("upper-case header names and values", 200,
                        h("CF-RAY", "8A1B2C3D4E5F6789-CDG", "Server", "CLOUDFLARE"), "",
                        e("cloudflare", "CDG", "8A1B2C3D4E5F6789-CDG", "CLOUDFLARE", NONE, null)),
                c("null and empty header values", 503, withNulls(), "\u0000\uFFFD&#99999999;&#x110000;&amp;",
                        e(null, null, null, null, UNKNOWN, null)),
                c("very long server header truncated", 500, h("server", "x".repeat(500)), "",
                        e(null, null, null, "x".repeat(200), UNKNOWN, null)),

                // ---- several providers stacked: the outermost one is reported
                c("cloudflare in front of vercel", 200,
                        h("server", "cloudflare", "cf-ray", CF_RAY, "cf-cache-status", "DYNAMIC",
                                "x-vercel-id", VERCEL_ID, "x-vercel-cache", "MISS"), "",
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", NONE, null)),
                c("cloudflare in front of vercel, vercel function timeout", 504,
                        h("server", "cloudflare", "cf-ray", CF_RAY, "x-vercel-id", VERCEL_ID,
                                "x-vercel-error", "FUNCTION_INVOCATION_TIMEOUT"),
                        "An error occurred with your deployment\n\nFUNCTION_INVOCATION_TIMEOUT",
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", EDGE, "vercel")),
                c("cloudflare in front of fly, fly-proxy 502", 502,
                        h("server", "cloudflare", "cf-ray", CF_RAY, "fly-request-id", FLY_ID, "via", "1.1 fly.io"), "",
                        e("cloudflare", "FRA", CF_RAY, "cloudflare", EDGE, "fly")),
                c("cloudfront in front of google", 200,
                        h("server", "Google Frontend", "via", "1.1 google, 1.1 abc.cloudfront.net (CloudFront)",
                                "x-amz-cf-pop", "FRA56-P1", "x-amz-cf-id", CF_ID), "",
                        e("cloudfront", "FRA56-P1", CF_ID, "Google Frontend", NONE, null)),
                c("fastly in front of netlify, netlify 404", 404,
                        h("server", "Netlify", "x-nf-request-id", "01HF3X3N8Q6G2Z5K7M9P1R3T5V",
                                "x-served-by", "cache-fra-eddf8230089-FRA", "x-timer", "S1700000000.1,VS0,VE20"),
                        "<p>Looks like you've followed a broken link or entered a URL that doesn't exist on this site.</p>",
                        e("fastly", "FRA", null, "Netlify", EDGE, "netlify")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parses(Case c) {
        assertEquals(c.expected(), CdnParser.parse(c.status(), c.headers(), c.body()), c.name());
    }

    @Test
    void nullHeadersAndBodyDoNotThrow() {
        assertEquals(new EdgeInfo(null, null, null, null, ErrorSource.UNKNOWN, null), CdnParser.parse(502, null, null));
    }

    /** Every header any rule reads, fed odd values at statuses that reach every rule: nothing may throw. */
    @Test
    void oddValuesNeverThrow() {
        List<String> names = List.of("server", "cf-ray", "cf-cache-status", "x-amz-cf-pop", "x-amz-cf-id", "via",
                "x-cache", "x-served-by", "x-timer", "akamai-grn", "x-vercel-id", "x-vercel-error", "x-nf-request-id",
                "cache-status", "fly-request-id", "cdn-requestid", "x-azure-ref", "x-msedge-ref", "x-cloud-trace-context");
        List<String> odd = List.of("", " ", "-", "::", ",", ", ,", "\u0000", "\uFFFF\uD800", "Ref B:", "S", "a-".repeat(5000),
                "cache--", "BunnyCDN--", "1.1 ", "/", "&#;&#x;&#0;", "\t\r\n");
        List<String> bodies = List.of("", "&#", "&#x110000;", "&#00000000000001;", "reference #", "\uD800");
        for (int status : new int[] {-1, 0, 200, 404, 502, 503, 522, 999}) {
            for (String name : names) {
                for (String value : odd) {
                    for (String body : bodies) {
                        EdgeInfo info = CdnParser.parse(status, h(name, value, "server", value), body);
                        assertEquals(status < 400 ? NONE : info.errorSource(), info.errorSource());
                    }
                }
            }
        }
    }

    @Test
    void errorSourceCodes() {
        assertEquals(List.of("none", "edge", "origin", "unknown"),
                Arrays.stream(ErrorSource.values()).map(ErrorSource::code).toList());
    }

    private static Case c(String name, int status, Map<String, List<String>> headers, String body, EdgeInfo expected) {
        return new Case(name, status, headers, body, expected);
    }

    private static EdgeInfo e(String provider, String pop, String requestId, String server, ErrorSource source,
                              String generator) {
        return new EdgeInfo(provider, pop, requestId, server, source, generator);
    }

    /** Name/value pairs; a repeated name adds another value, as a repeated header line would. */
    private static Map<String, List<String>> h(String... pairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return headers;
    }

    private static Map<String, List<String>> withNulls() {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("server", Arrays.asList(null, " "));
        headers.put("cf-ray", List.of());
        headers.put("x-vercel-id", null);
        headers.put(null, List.of("x"));
        return headers;
    }
}
