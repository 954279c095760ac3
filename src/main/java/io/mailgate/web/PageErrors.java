package io.mailgate.web;

import io.mailgate.api.ApiProblem;
import io.mailgate.api.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * A page that fails shows the error page with the problem's own words (never a stack trace). Another
 * organization's resources are "not found", exactly as in the API. Ahead of the API's problem+json advice,
 * so a browser never gets JSON.
 */
@ControllerAdvice(basePackageClasses = PageErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

    @ExceptionHandler(ApiProblem.class)
    ModelAndView problem(ApiProblem problem) {
        return page(
                problem.status(),
                problem.title(),
                problem.status() == HttpStatus.NOT_FOUND
                        ? "There is nothing here, or you cannot see it."
                        : problem.detail());
    }

    /**
     * Spring's own request errors (a missing or malformed parameter, a wrong method) are the request's fault and
     * say so; anything else is logged and shown as an unexpected error.
     */
    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception e) {
        if (e instanceof ErrorResponse error && error.getStatusCode().is4xxClientError()) {
            HttpStatus status = HttpStatus.resolve(error.getStatusCode().value());
            status = status == null ? HttpStatus.BAD_REQUEST : status;
            String detail = error.getBody().getDetail();
            return page(status, status.getReasonPhrase(), detail == null ? status.getReasonPhrase() : detail);
        }
        if (DatabaseOutage.causedBy(e)) {
            log.warn("A page could not be served: the database is unavailable ({})", DatabaseOutage.cause(e));
            return page(DatabaseOutage.STATUS, DatabaseOutage.TITLE, DatabaseOutage.DETAIL);
        }
        log.error("A page failed", e);
        return page(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "An unexpected error occurred. It has been logged.");
    }

    private static ModelAndView page(HttpStatus status, String title, String detail) {
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("title", title);
        page.addObject("detail", detail);
        return page;
    }
}
