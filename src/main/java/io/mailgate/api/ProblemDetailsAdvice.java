package io.mailgate.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.net.URI;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error from a controller as an RFC 9457 problem detail. Spring's own exceptions (405, 415,
 * 404, 413, ...) are rendered by the base class; the overrides below add the {@code errors} list
 * naming JSON fields, and the handlers below it cover our {@link ApiProblem}, persistence and
 * anything unexpected. Being a {@link ResponseEntityExceptionHandler}, it replaces Spring Boot's
 * default one that {@code spring.mvc.problemdetails.enabled} would register.
 * <p>
 * Lowest precedence on purpose: its catch-all {@code Exception} handler would otherwise shadow the
 * specific handlers of any other advice (Spring picks the first advice that has a matching handler).
 * Prefer throwing {@link ApiProblem} to writing another advice.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    static final String VALIDATION_DETAIL = "The request has invalid fields; see errors.";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    // ---- ours -------------------------------------------------------------------------------

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> handleApiProblem(ApiProblem problem, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.detail());
        body.setTitle(problem.title());
        return respond(body, problem.errors(), new HttpHeaders(), request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException e, WebRequest request) {
        return validationProblem(violations(e), request);
    }

    /** Bean validation of an entity at commit time arrives wrapped. */
    @ExceptionHandler(TransactionSystemException.class)
    ResponseEntity<Object> handleTransactionSystem(TransactionSystemException e, WebRequest request) {
        if (e.getRootCause() instanceof ConstraintViolationException violations) {
            return validationProblem(violations(violations), request);
        }
        return handleUnexpected(e, request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> handleDataIntegrity(DataIntegrityViolationException e, WebRequest request) {
        // The database message names tables and values: log it, never send it.
        log.info(
                "Rejected by a database constraint ({}): {}",
                path(request),
                e.getMostSpecificCause().getMessage());
        return respond(
                ProblemDetail.forStatusAndDetail(
                        HttpStatus.CONFLICT,
                        "The request conflicts with existing data (for example, a name that is already taken)."),
                List.of(),
                new HttpHeaders(),
                request);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleMultipart(MultipartException e, WebRequest request) {
        return respond(
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The multipart request could not be read."),
                List.of(),
                new HttpHeaders(),
                request);
    }

    /** From method security inside a controller; without this they would become 500s. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> handleAccessDenied(AccessDeniedException e, WebRequest request) {
        return respond(
                ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Access denied"),
                List.of(),
                new HttpHeaders(),
                request);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> handleAuthentication(AuthenticationException e, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, ProblemAuthenticationEntryPoint.CHALLENGE);
        return respond(
                ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, "Authentication required"),
                List.of(),
                headers,
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception e, WebRequest request) {
        if (DatabaseOutage.causedBy(e)) {
            return databaseOutage(e, request);
        }
        // The id ties the caller's report to the log entry; the stack trace stays in the log.
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected error {} on {}", errorId, path(request), e);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred. It has been logged with id " + errorId + ".");
        body.setProperty("errorId", errorId);
        return respond(body, List.of(), new HttpHeaders(), request);
    }

    /** 503, not 500: see {@link DatabaseOutage}. One line in the log; the outage itself is no bug to trace. */
    private ResponseEntity<Object> databaseOutage(Exception e, WebRequest request) {
        log.warn("Database unavailable on {}: {}", path(request), DatabaseOutage.cause(e));
        ProblemDetail body = ProblemDetail.forStatusAndDetail(DatabaseOutage.STATUS, DatabaseOutage.DETAIL);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER);
        return respond(body, List.of(), headers, request);
    }

    // ---- Spring's, with field errors added ----------------------------------------------------

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return validationProblem(bindingErrors(e.getBindingResult()), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            if (result instanceof ParameterErrors parameterErrors) {
                errors.addAll(bindingErrors(parameterErrors));
            } else {
                String name = requestName(result.getMethodParameter());
                result.getResolvableErrors()
                        .forEach(error -> errors.add(new ApiProblem.FieldError(name, error.getDefaultMessage())));
            }
        }
        return validationProblem(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Never echo Jackson's message: it can quote the body and name our Java classes.
        Throwable cause = e.getCause();
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            String message = describe(mapping);
            ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + ": " + message);
            return respond(body, List.of(new ApiProblem.FieldError(field, message)), headers, request);
        }
        String detail;
        if (cause instanceof JsonParseException parse) {
            JsonLocation at = parse.getLocation();
            detail = at == null
                    ? "Malformed JSON."
                    : "Malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ".";
        } else if (cause instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            detail = "The request body must be " + expected(mismatch.getTargetType()) + ".";
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            detail = "The request body is missing.";
        } else {
            detail = "The request body could not be read.";
        }
        return respond(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail), List.of(), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name =
                e instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : e.getPropertyName();
        String message = "expected " + expected(e.getRequiredType());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, name + ": " + message);
        return respond(body, List.of(new ApiProblem.FieldError(name, message)), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, "Required parameter '" + e.getParameterName() + "' is missing.");
        return respond(body, List.of(new ApiProblem.FieldError(e.getParameterName(), "is required")), headers, request);
    }

    /**
     * A file larger than {@code spring.servlet.multipart.max-file-size}: 413, naming the form field like every
     * other field error. The servlet container parses the upload before any controller runs, so the field's
     * name comes from the container's exception (Tomcat's); a request too large as a whole names no field.
     */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        FileSizeLimitExceededException file = null;
        for (Throwable cause = e; cause != null && file == null; cause = cause.getCause()) {
            if (cause instanceof FileSizeLimitExceededException tooLarge) {
                file = tooLarge;
            }
        }
        String field = file == null || file.getFieldName() == null ? "" : file.getFieldName();
        long permitted = file != null ? file.getPermittedSize() : e.getMaxUploadSize();
        String message = permitted > 0
                ? "is larger than the largest upload accepted (" + megabytes(permitted) + ")"
                : "is larger than the largest upload accepted";
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.PAYLOAD_TOO_LARGE, (field.isEmpty() ? "The upload " : field + ": ") + message + ".");
        body.setTitle("Payload Too Large");
        return respond(body, List.of(new ApiProblem.FieldError(field, message)), headers, request);
    }

    private static String megabytes(long bytes) {
        return bytes % (1024 * 1024) == 0
                ? bytes / (1024 * 1024) + " MB"
                : bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " bytes";
    }

    /** Every problem from the base class passes here: add {@code instance}, keep Spring's status and detail. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getInstance() == null) {
            String path = path(request);
            if (path != null) {
                try {
                    problem.setInstance(URI.create(path));
                } catch (IllegalArgumentException notAUri) {
                    // a request path that is not a valid URI: leave instance out rather than fail
                }
            }
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private ResponseEntity<Object> validationProblem(List<ApiProblem.FieldError> errors, WebRequest request) {
        return respond(
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, VALIDATION_DETAIL),
                errors,
                new HttpHeaders(),
                request);
    }

    private ResponseEntity<Object> respond(
            ProblemDetail body, List<ApiProblem.FieldError> errors, HttpHeaders headers, WebRequest request) {
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return createResponseEntity(body, headers, HttpStatusCode.valueOf(body.getStatus()), request);
    }

    private static List<ApiProblem.FieldError> bindingErrors(BindingResult result) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        result.getFieldErrors()
                .forEach(error -> errors.add(new ApiProblem.FieldError(error.getField(), error.getDefaultMessage())));
        // class-level constraints (e.g. "only the block of the chosen protocol") have no single field
        result.getGlobalErrors().forEach(error -> errors.add(new ApiProblem.FieldError("", error.getDefaultMessage())));
        return errors;
    }

    private static List<ApiProblem.FieldError> bindingErrors(ParameterErrors errors) {
        List<ApiProblem.FieldError> fieldErrors = new ArrayList<>();
        errors.getFieldErrors()
                .forEach(error ->
                        fieldErrors.add(new ApiProblem.FieldError(error.getField(), error.getDefaultMessage())));
        errors.getGlobalErrors()
                .forEach(error -> fieldErrors.add(new ApiProblem.FieldError(
                        requestName(errors.getMethodParameter()), error.getDefaultMessage())));
        return fieldErrors;
    }

    private static List<ApiProblem.FieldError> violations(ConstraintViolationException e) {
        return e.getConstraintViolations().stream()
                .map(violation -> new ApiProblem.FieldError(propertyPath(violation), violation.getMessage()))
                .toList();
    }

    /** "create.request.imap.port" from method validation becomes "imap.port": callers know JSON, not Java. */
    private static String propertyPath(ConstraintViolation<?> violation) {
        StringBuilder path = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD
                    || node.getKind() == ElementKind.CONSTRUCTOR
                    || node.getKind() == ElementKind.RETURN_VALUE
                    || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getName() == null) {
                continue;
            }
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(node.getName());
            if (node.getIndex() != null) {
                path.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                path.append('[').append(node.getKey()).append(']');
            }
        }
        // a constraint on a plain parameter (e.g. @RequestParam @Min(1) int limit) has only that name
        return path.isEmpty() && parameter != null ? parameter : path.toString();
    }

    /** The name the client used: the request parameter, path variable or header name, else the Java name. */
    private static String requestName(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
        if (variable != null && !variable.name().isEmpty()) {
            return variable.name();
        }
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null && !header.name().isEmpty()) {
            return header.name();
        }
        RequestPart part = parameter.getParameterAnnotation(RequestPart.class);
        if (part != null && !part.name().isEmpty()) {
            return part.name();
        }
        String name = parameter.getParameterName();
        return name != null ? name : "arg" + parameter.getParameterIndex();
    }

    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof InvalidFormatException format
                && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return "must be " + expected(format.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + expected(mismatch.getTargetType());
        }
        if (e instanceof ValueInstantiationException
                && e.getCause() instanceof IllegalArgumentException invalid
                && invalid.getMessage() != null) {
            // our own records reject bad values in their constructors with a message meant for people
            return invalid.getMessage();
        }
        return "invalid value";
    }

    /** "a number", "one of IMAP, EXCHANGE, OAUTH", ... as a person would say it. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a different type of value";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        if (type == int.class
                || type == long.class
                || type == short.class
                || type == byte.class
                || type == double.class
                || type == float.class
                || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time such as 2026-11-27T10:15:30Z";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (Map.class.isAssignableFrom(type) || !type.isPrimitive()) {
            return "an object";
        }
        return "a different type of value";
    }

    private static String path(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            HttpServletRequest http = servlet.getRequest();
            return http.getRequestURI();
        }
        return null;
    }
}
