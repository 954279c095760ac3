package io.mailgate.component.msgraph;

/**
 * Graph refused the mailbox itself (no permission, no such mailbox): the same cause the connection test names, with
 * the same code and a sentence that says what to grant or fix, so that a running route reports it alike.
 */
public class GraphMailboxException extends GraphException {

    private final GraphConnectionTest.Failure failure;

    GraphMailboxException(GraphConnectionTest.Failure failure, GraphException cause, String message) {
        super(cause.status(), cause.code(), message, cause);
        this.failure = failure;
    }

    /** PERMISSION_MISSING or MAILBOX_NOT_FOUND. */
    public GraphConnectionTest.Failure failure() {
        return failure;
    }
}
