package io.mailgate.connection;

import jakarta.validation.ConstraintValidatorContext;

/** For constraint validators that say more precisely what is wrong than their annotation's message. */
final class Violations {

    private Violations() {}

    /**
     * Replaces the annotation's message by {@code message}, taken literally: a message template interprets
     * {@code {…}}, {@code $} and backslashes, and a message may quote what the client sent (a host name, a
     * regular expression's error), which must never be evaluated.
     */
    static boolean reject(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addConstraintViolation();
        return false;
    }

    static String literal(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '\\' || c == '{' || c == '}' || c == '$') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
