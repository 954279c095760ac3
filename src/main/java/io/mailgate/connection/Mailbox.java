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

/**
 * An Exchange or Microsoft 365 mailbox as the reference writes it: {@code user@domain}, or
 * {@code primary\shared} for a shared mailbox opened with the primary account, whose part after the last
 * backslash must be {@code user@domain}. Null and blank are valid here ({@code @NotBlank} says "is required").
 */
@Constraint(validatedBy = Mailbox.Check.class)
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@interface Mailbox {

    // A backslash is the escape character of message templates: "\\\\" in Java is one backslash in the message.
    String message() default "must be an email address user@domain, or primary\\\\shared for a shared mailbox";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<Mailbox, String> {

        /** user@domain: one @, no white space, no backslash (the shared-mailbox separator). */
        private static final Pattern ADDRESS = Pattern.compile("^[^@\\s\\\\]+@[^@\\s\\\\]+$");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            int slash = value.lastIndexOf('\\');
            if (slash < 0) {
                return ADDRESS.matcher(value).matches();
            }
            if (value.substring(0, slash).isBlank()) {
                return Violations.reject(context, "names a shared mailbox but no primary account before the backslash");
            }
            if (!ADDRESS.matcher(value.substring(slash + 1)).matches()) {
                return Violations.reject(context, "the shared mailbox after the last backslash must be user@domain");
            }
            return true;
        }
    }
}
