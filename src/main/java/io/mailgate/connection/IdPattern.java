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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A regular expression that finds an incident's id in a subject: it compiles and has a capturing group. */
@Constraint(validatedBy = IdPattern.Check.class)
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@interface IdPattern {

    /** Longer patterns are not compiled (a deeply nested one could overflow the stack); {@code @Size} reports them. */
    int MAX_LENGTH = 500;

    String message() default "must have a capturing group for the incident id";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<IdPattern, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.length() > MAX_LENGTH) {
                return true;
            }
            try {
                return Pattern.compile(value).matcher("").groupCount() >= 1;
            } catch (PatternSyntaxException e) {
                return Violations.reject(context, "is not a valid regular expression: " + e.getDescription());
            }
        }
    }
}
