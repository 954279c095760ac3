package io.mailgate.connection;

/**
 * @param intervalSeconds time between two polls of the mailbox
 * @param push            use IMAP IDLE or change notifications where the server offers them
 */
public record Polling(int intervalSeconds, boolean push) {

    public static Polling defaults() {
        return new Polling(60, true);
    }
}
