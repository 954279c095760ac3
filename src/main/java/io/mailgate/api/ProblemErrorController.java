package io.mailgate.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.ModelAndView;

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
        boolean outage = databaseOutage(request);
        HttpStatus status = outage ? DatabaseOutage.STATUS : status(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put(
                "detail",
                outage
                        ? DatabaseOutage.DETAIL
                        : status.is5xxServerError()
                                ? "An unexpected error occurred. It has been logged."
                                : status.getReasonPhrase());
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri != null) {
            body.put("instance", uri.toString());
        }
        var response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (outage) {
            response.header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER);
        }
        return response.body(body);
    }

    /** The same error for a browser: the page "error" (templates/error.html), still without the exception. */
    @RequestMapping(value = "${server.error.path:/error}", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView errorPage(HttpServletRequest request) {
        if (databaseOutage(request)) {
            var page = new ModelAndView("error", DatabaseOutage.STATUS);
            page.addObject("status", DatabaseOutage.STATUS.value());
            page.addObject("title", DatabaseOutage.TITLE);
            page.addObject("detail", DatabaseOutage.DETAIL);
            return page;
        }
        HttpStatus status = status(request);
        var page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("title", status.getReasonPhrase());
        page.addObject(
                "detail",
                switch (status) {
                    case NOT_FOUND -> "There is nothing here, or you cannot see it.";
                    case FORBIDDEN -> forbidden(request);
                    default ->
                        status.is5xxServerError()
                                ? "An unexpected error occurred. It has been logged."
                                : status.getReasonPhrase();
                });
        return page;
    }

    /**
     * Why a page is forbidden, in words that fit: an expired or missing form token (a session that ended, a page
     * open for long) is cured by reloading; a role that does not allow the page is not.
     */
    private static String forbidden(HttpServletRequest request) {
        Object denied = request.getAttribute(WebAttributes.ACCESS_DENIED_403);
        if (denied instanceof CsrfException) {
            return "The form was sent without a valid security token, for example because the page was open "
                    + "while the session ended. Reload the page and try again.";
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri != null && uri.toString().startsWith(request.getContextPath() + "/actuator")) {
            return "Hawtio and the other operations views are for system admins only. Ask a system admin if you "
                    + "need them.";
        }
        return "Your role does not allow this page.";
    }

    /** An exception that left a filter (the API key lookup, say) because the database is down: see DatabaseOutage. */
    private static boolean databaseOutage(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable e
                && DatabaseOutage.causedBy(e);
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
