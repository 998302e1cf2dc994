package dev.gatewatch.api;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.RestQuery;

/** Finds the query parameters of a resource method whose values do not convert to the parameter's type. */
final class QueryValues {

    private QueryValues() {
    }

    static List<FieldError> unreadable(Method method, MultivaluedMap<String, String> query) {
        List<FieldError> errors = new ArrayList<>();
        for (Parameter p : method.getParameters()) {
            String name = name(p);
            String value = name == null ? null : query.getFirst(name);
            if (value == null) {
                continue;
            }
            String problem = problem(p.getType(), value);
            if (problem != null) {
                errors.add(new FieldError(name, problem));
            }
        }
        return errors;
    }

    private static String name(Parameter p) {
        RestQuery rest = p.getAnnotation(RestQuery.class);
        if (rest != null) {
            return rest.value().isEmpty() ? p.getName() : rest.value();
        }
        QueryParam query = p.getAnnotation(QueryParam.class);
        return query == null ? null : query.value();
    }

    private static String problem(Class<?> type, String value) {
        try {
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(value);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value);
            } else if (type == boolean.class || type == Boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    return "must be true or false";
                }
            }
            return null;
        } catch (NumberFormatException e) {
            return type == int.class || type == Integer.class ? "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    : "must be a whole number";
        }
    }
}
