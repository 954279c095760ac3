package io.mailgate.connectiontest;

import io.mailgate.imap.ImapEncryption;
import java.util.Objects;

/** What an IMAP connection test needs. The password never appears in {@link #toString()}. */
public record ImapProbe(
        String host, int port, ImapEncryption encryption, String username, String password, String folder) {

    public ImapProbe {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535");
        }
        Objects.requireNonNull(encryption, "encryption");
        host = host.trim();
        folder = folder == null || folder.isBlank() ? "INBOX" : folder;
    }

    @Override
    public String toString() {
        return "ImapProbe[host=" + host + ", port=" + port + ", encryption=" + encryption + ", username=" + username
                + ", password=" + (password == null ? "null" : "****") + ", folder=" + folder + "]";
    }
}
