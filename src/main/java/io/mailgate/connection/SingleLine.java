package io.mailgate.connection;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * No line break and no NUL: the value ends up in IMAP commands, EWS requests and log lines, where a line break
 * would start a new command or a forged log entry. Null is valid (required-ness is {@code @NotBlank}'s job).
 */
@Constraint(validatedBy = SingleLine.Check.class)
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@interface SingleLine {

    String message() default "must be a single line";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<SingleLine, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0);
        }
    }
}
