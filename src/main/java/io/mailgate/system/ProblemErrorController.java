package io.mailgate.system;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}) as a problem detail, for failures outside
 * Spring MVC's reach (an exception in a filter, a {@code sendError} from a library). Replaces Spring
 * Boot's {@code BasicErrorController}, whose JSON has another shape. Never shows the exception.
 */
@Hidden // not part of the API description
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        HttpStatus status = status(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", status.is5xxServerError()
                ? "An unexpected error occurred. It has been logged."
                : status.getReasonPhrase());
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri != null) {
            body.put("instance", uri.toString());
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** The same error for a browser: the page "error" (templates/error.html), still without the exception. */
    @RequestMapping(value = "${server.error.path:/error}", produces = MediaType.TEXT_HTML_VALUE)
    org.springframework.web.servlet.ModelAndView errorPage(HttpServletRequest request) {
        HttpStatus status = status(request);
        var page = new org.springframework.web.servlet.ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("title", status.getReasonPhrase());
        page.addObject("detail", switch (status) {
            case NOT_FOUND -> "There is nothing here, or you cannot see it.";
            case FORBIDDEN -> "You cannot do this here. If you were signed in for a while, reload the page and try again.";
            default -> status.is5xxServerError() ? "An unexpected error occurred. It has been logged."
                    : status.getReasonPhrase();
        });
        return page;
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code instanceof Integer value) {
            HttpStatus status = HttpStatus.resolve(value);
            if (status != null) {
                return status;
            }
        }
        // reached directly, not as the container's error page
        return HttpStatus.NOT_FOUND;
    }
}
