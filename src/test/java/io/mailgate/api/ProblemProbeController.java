package io.mailgate.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.MediaType;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Endpoints shaped like the real ones (a connection with a nested {@code imap} block) that fail in
 * each way the problem-details advice must handle. A test component: only the system tests import it.
 */
@TestComponent
@RestController
@RequestMapping("/api/v1/test-problems")
public class ProblemProbeController {

    enum Protocol {
        IMAP,
        EXCHANGE,
        OAUTH
    }

    record Imap(@NotBlank String host, @Min(1) @Max(65535) int port) {}

    record Connection(
            @NotBlank String name,
            Protocol protocol,
            @Valid @NotNull Imap imap,
            List<String> to) {}

    private final Validator validator;

    ProblemProbeController(Validator validator) {
        this.validator = validator;
    }

    @PostMapping("/body")
    String body(@Valid @RequestBody Connection connection) {
        return "ok";
    }

    /** A constraint on a plain parameter: Spring's built-in method validation. */
    @GetMapping("/param")
    String param(@RequestParam @Min(1) int limit) {
        return "ok";
    }

    /** Validation done by a service, not by Spring MVC. */
    @PostMapping("/service")
    String service(@RequestBody Connection connection) {
        Set<ConstraintViolation<Connection>> violations = validator.validate(connection);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return "ok";
    }

    @PostMapping("/conflict")
    String conflict() {
        throw new DataIntegrityViolationException("duplicate key value violates unique constraint \"secret_table\"");
    }

    /** What a repository call throws when the pool gets no connection because the database is down. */
    @GetMapping("/database-down")
    String databaseDown() {
        throw new CannotCreateTransactionException(
                "Could not open JPA EntityManager for transaction",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out"));
    }

    @GetMapping("/boom")
    String boom() {
        throw new IllegalStateException("internal detail that must not leak");
    }

    @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    String upload(@RequestParam("file") MultipartFile file) {
        return "ok " + file.getSize();
    }
}
