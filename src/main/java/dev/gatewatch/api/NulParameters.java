package dev.gatewatch.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses U+0000 in query and path parameters of every endpoint (e.g. {@code ?q=%00}), which PostgreSQL would refuse
 * with a 500; request bodies are covered by {@link NulText}.
 */
public class NulParameters {

    @ServerRequestFilter
    public Optional<Response> refuse(UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        collect(uri.getQueryParameters(), errors);
        collect(uri.getPathParameters(), errors);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Problem.invalid(errors).at(uri.getPath().replace("\0", "%00")).toResponse());
    }

    private static void collect(MultivaluedMap<String, String> params, List<FieldError> errors) {
        params.forEach((name, values) -> {
            if (NulText.contains(name) || values.stream().anyMatch(NulText::contains)) {
                errors.add(new FieldError(name.replace("\0", "\\u0000"), NulText.MESSAGE));
            }
        });
    }
}
