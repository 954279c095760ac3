package io.mailgate.api;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A failure to report to the API caller as an RFC 9457 problem detail. Throw it from controllers
 * and services; {@link ProblemDetailsAdvice} renders it as {@code application/problem+json}
 * with {@code title} = the HTTP reason phrase, the given {@code detail}, and {@code errors} when
 * there are field errors.
 */
public class ApiProblem extends RuntimeException {

    /** One invalid input, named by its JSON path, e.g. {@code imap.port}. */
    public record FieldError(String field, String message) {}

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, status.getReasonPhrase(), detail, List.of());
    }

    public ApiProblem(HttpStatus status, String title, String detail, List<FieldError> errors) {
        // No stack trace: these are expected outcomes, not bugs, and are never logged as errors.
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail);
    }

    public static ApiProblem conflict(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, detail);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, detail);
    }

    public static ApiProblem validation(List<FieldError> errors) {
        return new ApiProblem(
                HttpStatus.BAD_REQUEST,
                HttpStatus.BAD_REQUEST.getReasonPhrase(),
                ProblemDetailsAdvice.VALIDATION_DETAIL,
                errors);
    }

    /** Shortcut for a single invalid field. */
    public static ApiProblem validation(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
