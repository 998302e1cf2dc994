package dev.gatewatch.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import jakarta.validation.ConstraintViolationException;

/** Every error leaves the API as problem+json; nothing internal leaks in a 500. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final AllowedMethods allowed;

    public ProblemMappers(AllowedMethods allowed) {
        this.allowed = allowed;
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e, UriInfo uri) {
        return Problem.invalid(e.errors()).at(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundProblem e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, e.getMessage()).at(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response refused(ProblemException e, UriInfo uri) {
        Response problem = e.problem().at(uri.getPath()).toResponse();
        return e.retryAfterSeconds() == null ? problem : Response.fromResponse(problem).header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> {
            String path = v.getPropertyPath().toString();
            // "create.arg0.name" -> "name": drop the method and parameter segments
            String[] parts = path.split("\\.", 3);
            errors.add(new FieldError(parts.length == 3 ? parts[2] : parts[parts.length - 1], v.getMessage()));
        });
        return Problem.invalid(errors).at(uri.getPath()).toResponse();
    }

    /** Quarkus maps this one itself (bare 400); ours names the field. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatch(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonParseException parse) {
            var loc = parse.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            return Problem.of(400, "Malformed JSON", "The request body is not valid JSON" + where + ": "
                    + parse.getOriginalMessage()).at(uri.getPath()).toResponse();
        }
        if (e instanceof JsonMappingException mapping) {
            String field = fieldPath(mapping.getPath());
            String message;
            if (e instanceof NulText.Refused nul) {
                field = nul.field().isEmpty() ? field : nul.field();
                message = NulText.MESSAGE;
            } else if (e instanceof UnrecognizedPropertyException unknown) {
                field = fieldPath(unknown.getPath());
                message = "unknown field";
            } else if (e instanceof InvalidFormatException format) {
                message = "must be " + typeName(format.getTargetType()) + ", got " + format.getValue();
            } else if (e instanceof MismatchedInputException mismatch) {
                message = mismatch.getTargetType() == null ? "has the wrong type" : "must be " + typeName(mismatch.getTargetType());
            } else {
                message = "cannot be read: " + mapping.getOriginalMessage();
            }
            if (field.isEmpty()) {
                return Problem.of(400, "Bad request body", "The request body " + message).at(uri.getPath()).toResponse();
            }
            return Problem.invalid(List.of(new FieldError(field, message))).at(uri.getPath()).toResponse();
        }
        return Problem.of(400, "Bad request body", e.getOriginalMessage()).at(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, ResourceInfo resource) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        if (e instanceof NotFoundException && e.getCause() != null && resource.getResourceMethod() != null) {
            // JAX-RS answers a query value that does not convert (?page=x) with 404; it is bad input, so name it
            List<FieldError> unreadable = QueryValues.unreadable(resource.getResourceMethod(), uri.getQueryParameters());
            if (!unreadable.isEmpty()) {
                return Problem.invalid(unreadable).at(uri.getPath()).toResponse();
            }
        }
        Response r = e.getResponse();
        int status = r.getStatus();
        if (e instanceof NotFoundException && e.getCause() == null && resource.getResourceMethod() == null
                && !allowed.allow(uri.getPath()).isEmpty()) {
            status = 405; // Quarkus REST says 404 when another resource class serves the path with other methods
        }
        if (r.getLocation() != null || status < 400) {
            return r;
        }
        var reason = Response.Status.fromStatusCode(status);
        String title = reason == null ? "HTTP " + status : reason.getReasonPhrase();
        String detail = switch (status) {
            case 415 -> "Send the request body as application/json";
            case 405 -> "This method is not allowed here";
            case 404 -> "No such resource";
            case 406 -> "This resource answers application/json";
            default -> e.getMessage();
        };
        Response problem = Problem.of(status, title, detail).at(uri.getPath()).toResponse();
        return status == 405 ? Response.fromResponse(problem).header("Allow", allowed.allow(uri.getPath())).build() : problem;
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        if (unstorableText(e)) {
            List<FieldError> inForm = NulParameters.inForm();
            if (!inForm.isEmpty()) {
                return Problem.invalid(inForm).at(uri.getPath()).toResponse(); // the transaction is rolled back: nothing stored
            }
            // a path that does not check its text yet (NulText and NulParameters cover bodies and parameters)
            LOG.warnf("refused text PostgreSQL cannot store on %s: %s", uri.getPath(), e.getMessage());
            return Problem.of(400, "Bad request", "The input contains a character that cannot be stored (U+0000)")
                    .at(uri.getPath()).toResponse();
        }
        String state = sqlState(e);
        if (state != null && state.startsWith("22")) {
            // a value the checks let through but PostgreSQL refuses (out of range, bad format): input, not our fault
            LOG.warnf("PostgreSQL refused a value on %s (SQLSTATE %s): %s", uri.getPath(), state, e.getMessage());
            return Problem.of(400, "Bad request", "A value of the request cannot be stored (SQLSTATE " + state + ")")
                    .at(uri.getPath()).toResponse();
        }
        if (state != null && state.startsWith("23")) {
            // e.g. a name or address taken by a request that ran at the same time
            LOG.warnf("PostgreSQL refused a write on %s (SQLSTATE %s): %s", uri.getPath(), state, e.getMessage());
            return Problem.of(409, "Conflict", "The request conflicts with stored data; reload and try again (SQLSTATE " + state + ")")
                    .at(uri.getPath()).toResponse();
        }
        if (databaseAway(e)) {
            // e.g. a token looked up while PostgreSQL is stopped: the request may simply be tried again
            LOG.warnf("database unreachable on %s: %s", uri.getPath(), e.getMessage());
            return refused(ProblemException.databaseUnavailable(), uri);
        }
        LOG.errorf(e, "Unexpected error on %s", uri.getPath());
        return Problem.of(500, "Internal Server Error", "Something went wrong on our side; it has been logged.")
                .at(uri.getPath()).toResponse();
    }

    /** SQLSTATE 22P05 (untranslatable character, e.g. \u0000 in jsonb) or 22021 (a NUL byte in text). */
    static boolean unstorableText(Throwable e) {
        String state = sqlState(e);
        return "22P05".equals(state) || "22021".equals(state);
    }

    /**
     * Whether the database could not be reached: a connection error (SQLSTATE class 08, which Hibernate wraps as
     * JDBCConnectionException), the server shutting down or starting (57P01-57P03: a connection cut by {@code pg_ctl
     * stop}) or no pooled connection within the acquisition timeout (Agroal gives no SQLSTATE).
     */
    public static boolean databaseAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && (sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || sql.getSQLState().startsWith("57P"))
                    || sql.getSQLState() == null && String.valueOf(sql.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout"))) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of the first SQLException among the causes, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (var ref : path) {
            if (ref.getFieldName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }
}
