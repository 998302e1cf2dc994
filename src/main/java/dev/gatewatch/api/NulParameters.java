package dev.gatewatch.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;

/**
 * Refuses U+0000 in query and path parameters of every endpoint (e.g. {@code ?q=%00}), which PostgreSQL would refuse
 * with a 500; JSON request bodies are covered by {@link NulText}. Web forms are read after the filters, so a NUL in a
 * form field is named once PostgreSQL has refused it ({@link #inForm}).
 */
public class NulParameters {

    @ServerRequestFilter
    public Optional<Response> refuse(UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        collect(uri.getQueryParameters(), errors);
        collect(uri.getPathParameters(), errors);
        return answer(uri, errors);
    }

    private static Optional<Response> answer(UriInfo uri, List<FieldError> errors) {
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

    /** The fields of the current request's form that hold U+0000 (none if it has no form, or it was not read). */
    static List<FieldError> inForm() {
        List<FieldError> errors = new ArrayList<>();
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        collect(context == null ? null : context.getFormData(), errors);
        return errors;
    }

    private static void collect(FormData form, List<FieldError> errors) {
        if (form == null) {
            return;
        }
        for (String name : form) {
            if (NulText.contains(name) || form.get(name).stream().anyMatch(v -> !v.isFileItem() && NulText.contains(v.getValue()))) {
                errors.add(new FieldError(name.replace("\0", "\\u0000"), NulText.MESSAGE));
            }
        }
    }
}
