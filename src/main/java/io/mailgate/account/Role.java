package io.mailgate.account;

/** A caller's role in one organization. ADMIN may do everything ANALYST may, and more. */
public enum Role {
    ADMIN,
    ANALYST;

    /** Whether this role grants at least what {@code minimum} grants (declaration order is rank). */
    boolean atLeast(Role minimum) {
        return ordinal() <= minimum.ordinal();
    }
}
