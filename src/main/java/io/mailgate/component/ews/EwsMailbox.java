package io.mailgate.component.ews;

/**
 * The mailbox option: {@code user@domain}, or {@code primary\shared} where the part after the last backslash is the
 * shared mailbox that the primary account reads.
 */
record EwsMailbox(String primary, String target) {

    static EwsMailbox parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("mailbox is required");
        }
        String trimmed = value.trim();
        int slash = trimmed.lastIndexOf('\\');
        String primary = slash < 0 ? trimmed : trimmed.substring(0, slash);
        String target = slash < 0 ? trimmed : trimmed.substring(slash + 1);
        if (!looksLikeAddress(target)) {
            throw new IllegalArgumentException("mailbox: '" + target + "' must be an address such as user@example.com");
        }
        return new EwsMailbox(primary, target);
    }

    private static boolean looksLikeAddress(String s) {
        int at = s.indexOf('@');
        return at > 0
                && at == s.lastIndexOf('@')
                && at < s.length() - 1
                && s.chars().noneMatch(Character::isWhitespace);
    }

    /** Whether folders must name the mailbox explicitly (reading someone else's mailbox). */
    boolean shared() {
        return !primary.equalsIgnoreCase(target);
    }
}
