package dev.gatewatch.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Makes the OpenAPI document say what the API answers besides success: the shared problem+json error responses each
 * operation can get (bad input, no token, unknown id, conflict, body too large or of the wrong type, URI too long),
 * the Location of what a POST created, the token each operation needs, and fields that may be null. The web UI's pages
 * are left out by {@code mp.openapi.scan.exclude.packages}; where a test profile lets them in ({@code WebUiDocumented})
 * their form errors, CSRF refusals and redirects are described too. Tag texts, servers and examples come from
 * {@code META-INF/openapi.yaml}. {@code OpenApiContractTest} holds the API to the document, {@code OpenApiLintTest}
 * the document to Redocly's rules.
 */
public class OpenApiDocument implements OASFilter {

    static final String PROBLEM = "Problem";
    /** quarkus.smallrye-openapi.security-scheme-name */
    static final String TOKEN_SCHEME = "apiToken";

    /** Status, component name and description of each shared error response. */
    private record Shared(String status, String name, String description) {
    }

    private static final Shared BAD_INPUT = new Shared("400", "BadInput",
            "Bad input: each bad field or parameter is named in errors[].field; nothing was changed");
    private static final Shared BAD_FORM = new Shared("400", "BadForm",
            "Bad input in a web page's form or parameters: the page again with each bad field marked (text/html), or a problem");
    private static final Shared FORBIDDEN = new Shared("403", "Forbidden", "A form without its CSRF token, or sent from another site");
    private static final Shared NO_TOKEN = new Shared("401", "NoToken", "No valid API token (Authorization: Bearer gw_…)");
    private static final Shared NOT_FOUND = new Shared("404", "NotFound", "No such resource, or one of another owner");
    private static final Shared CONFLICT = new Shared("409", "Conflict",
            "The write conflicts with stored data, e.g. a name or address taken by a request at the same time");
    private static final Shared TOO_LARGE = new Shared("413", "TooLarge", "The request body is over 1 MiB");
    private static final Shared URI_TOO_LONG = new Shared("414", "UriTooLong", "The request URI is over 8 KiB");
    private static final Shared MEDIA_TYPE = new Shared("415", "WrongMediaType", "The request body is not of the type the operation takes");

    /** The 201 description of an operation that answers with the new resource's address in Location. */
    public static final String CREATED_AT_LOCATION = "Created; Location is its address";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSchema("FieldError", OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("One bad field or parameter")
                .addProperty("field", string("The field's path, e.g. alertPolicy.channels[0], or the parameter's name"))
                .addProperty("message", string("What is wrong with it"))
                .required(List.of("field", "message")));
        components.addSchema(PROBLEM, OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("An RFC 9457 problem detail, sent as application/problem+json")
                .addProperty("type", string("A URI naming the kind of problem; about:blank for plain HTTP errors"))
                .addProperty("title", string("A short summary of the kind of problem"))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER).description("The HTTP status code"))
                .addProperty("detail", string("What went wrong with this request"))
                .addProperty("instance", string("The request's path"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref("FieldError")).description("Each bad field, for invalid input"))
                .required(List.of("type", "title", "status"))
                .examples(List.of(Map.of("type", "https://gatewatch.dev/problems/invalid-input", "title", "Invalid input", "status", 400,
                        "detail", "1 field is invalid", "instance", "/api/v1/monitors",
                        "errors", List.of(Map.of("field", "intervalSeconds", "message", "must be between 10 and 86400"))))));
        List<Shared> shared = new ArrayList<>(List.of(BAD_INPUT, NO_TOKEN, NOT_FOUND, CONFLICT, TOO_LARGE, URI_TOO_LONG, MEDIA_TYPE));
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems().keySet().stream().anyMatch(path -> !path.startsWith("/api/"))) {
            shared.addAll(List.of(BAD_FORM, FORBIDDEN)); // only where the web UI is documented (OpenApiContractTest's profile)
        }
        for (Shared response : shared) {
            var content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)));
            if (response == BAD_FORM) {
                content.addMediaType("text/html", OASFactory.createMediaType());
            }
            components.addResponse(response.name(), OASFactory.createAPIResponse().description(response.description()).content(content));
        }
        if (components.getSchemas() != null) {
            components.getSchemas().forEach((name, schema) -> nullableUnlessRequired(schema));
        }
        if (components.getSecuritySchemes() != null && components.getSecuritySchemes().containsKey(TOKEN_SCHEME)) {
            components.getSecuritySchemes().get(TOKEN_SCHEME).setBearerFormat("gw_ API token (opaque, not a JWT)");
        }
        if (openAPI.getPaths() != null) {
            openAPI.getPaths().getPathItems().forEach(this::errors);
        }
    }

    private void errors(String path, PathItem item) {
        boolean api = path.startsWith("/api/");
        boolean pub = path.startsWith("/status/") || path.equals("/login") || path.equals("/signup") || path.startsWith("/diagnose");
        // diagnosing a URL and reading a diagnosis by its id need no account (quarkus.http.auth.permission.diagnose-api)
        boolean openApi = path.equals("/api/v1/diagnose") || path.startsWith("/api/v1/diagnoses/");
        item.getOperations().forEach((method, op) -> {
            APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses() : op.getResponses();
            op.setResponses(responses);
            if (method == PathItem.HttpMethod.GET) {
                op.setRequestBody(null); // a page method's RoutingContext parameter is no body
            }
            boolean body = op.getRequestBody() != null;
            boolean params = op.getParameters() != null && !op.getParameters().isEmpty();
            List<Shared> add = new ArrayList<>(List.of(URI_TOO_LONG));
            if (body || params || path.contains("{")) {
                add.add(api ? BAD_INPUT : BAD_FORM);
            }
            if (path.contains("{")) {
                add.add(NOT_FOUND);
            }
            if (body) {
                add.addAll(List.of(TOO_LARGE, MEDIA_TYPE));
            }
            if (method != PathItem.HttpMethod.GET) {
                add.add(CONFLICT);
            }
            if (openApi) {
                // no credentials, or a token (which must then be valid): the owner sees more of their own diagnoses
                add.add(NO_TOKEN);
                op.setSecurity(List.of(OASFactory.createSecurityRequirement(), OASFactory.createSecurityRequirement().addScheme(TOKEN_SCHEME)));
            } else if (api) {
                add.add(NO_TOKEN);
                // the API's paths are protected by configuration (quarkus.http.auth.permission.api), not annotations
                op.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(TOKEN_SCHEME)));
            } else if (method != PathItem.HttpMethod.GET) {
                add.add(FORBIDDEN);
            }
            for (Shared shared : add) {
                responses.addAPIResponse(shared.status(), OASFactory.createAPIResponse().ref(shared.name())); // replaces a bare one
            }
            if (!api && !pub && !responses.hasAPIResponse("302")) {
                responses.addAPIResponse("302", OASFactory.createAPIResponse().description("Not logged in: to the login page"));
            }
            if (!api && method == PathItem.HttpMethod.POST && !responses.hasAPIResponse("303")) {
                responses.addAPIResponse("303", OASFactory.createAPIResponse().description("Done: to the page that shows the result"));
            }
            var created = responses.getAPIResponse("201");
            if (created != null && CREATED_AT_LOCATION.equals(created.getDescription())) {
                created.addHeader("Location", OASFactory.createHeader().description("The new resource's path, e.g. /api/v1/monitors/42")
                        .schema(OASFactory.createSchema().addType(SchemaType.STRING)));
            }
            plainErrorsAsProblems(op);
            op.setResponses(sorted(responses));
        });
    }

    private static APIResponses sorted(APIResponses responses) {
        APIResponses in = OASFactory.createAPIResponses();
        new java.util.TreeMap<>(responses.getAPIResponses()).forEach(in::addAPIResponse);
        return in;
    }

    /** Error responses declared on the resource without a body (e.g. a bare 409) get the problem schema. */
    private static void plainErrorsAsProblems(Operation op) {
        op.getResponses().getAPIResponses().forEach((status, response) -> {
            if (response.getRef() == null && status.startsWith("4") && response.getContent() == null) {
                response.content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
            }
        });
    }

    /** Jackson writes null fields as null; a field the schema does not require may therefore be null. */
    private static void nullableUnlessRequired(Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        Map<String, Schema> properties = new java.util.LinkedHashMap<>(schema.getProperties());
        properties.forEach((name, property) -> {
            if (required.contains(name)) {
                return;
            }
            if (property.getRef() != null) {
                Schema ref = OASFactory.createSchema().ref(property.getRef());
                schema.addProperty(name, OASFactory.createSchema().description(property.getDescription())
                        .anyOf(List.of(ref, OASFactory.createSchema().addType(SchemaType.NULL))));
            } else if (property.getType() != null && !property.getType().contains(SchemaType.NULL)) {
                property.addType(SchemaType.NULL);
            }
        });
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
    }
}
