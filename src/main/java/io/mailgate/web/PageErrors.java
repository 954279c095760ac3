package io.mailgate.web;

import io.mailgate.system.ApiProblem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * A page that fails shows the error page with the problem's own words (never a stack trace). Another
 * organization's resources are "not found", exactly as in the API. Ahead of the API's problem+json advice.
 */
@ControllerAdvice(basePackageClasses = PageErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    @ExceptionHandler(ApiProblem.class)
    ModelAndView problem(ApiProblem problem) {
        ModelAndView page = new ModelAndView("error", problem.status());
        page.addObject("status", problem.status().value());
        page.addObject("title", problem.title());
        page.addObject("detail", problem.status() == HttpStatus.NOT_FOUND
                ? "There is nothing here, or you cannot see it." : problem.detail());
        return page;
    }
}
