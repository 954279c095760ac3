package io.mailgate.api;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The database cannot be reached or used: the server is down or refuses connections, the pool has no connection
 * left, an embedded H2 closed itself after a failed write (a full disk), PostgreSQL's disk is full. A request that
 * meets this gets 503 with {@code Retry-After}: not 500, since nothing is wrong with the request or a bug to report;
 * and not 401 when it happens while checking credentials, which could not be checked rather than were refused (a
 * SOAR that reads 401 may disable its integration). Mail is not lost meanwhile: a source marks a message read only
 * after it is stored.
 */
public final class DatabaseOutage {

    public static final HttpStatus STATUS = HttpStatus.SERVICE_UNAVAILABLE;

    public static final String TITLE = "Database unavailable";

    public static final String DETAIL = "The database is unavailable, so mailgate cannot answer now. New mail stays "
            + "unread at its source until it can be stored. Try again later.";

    /** Seconds, for the Retry-After header: about the time a database restart or a pool's reconnect takes. */
    public static final String RETRY_AFTER = "30";

    private static final int MAX_CAUSES = 20; // a cause chain is short; this only guards against a cycle

    private DatabaseOutage() {}

    /**
     * What to log of an outage, in one line: the most specific cause's class and message (the wrappers Spring and the
     * pool add say only that something failed). The outage is no bug to trace, so no stack trace.
     */
    public static String cause(Throwable e) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** True when {@code e}, or anything in its cause chain, says the database is unreachable or unusable. */
    public static boolean causedBy(Throwable e) {
        Throwable t = e;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && unavailable(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes that describe the server rather than the statement: 08 (connection exception), 53
     * (insufficient resources: disk full, out of memory, too many connections) and 57P01–57P03 (the server is
     * shutting down or not accepting connections yet). PostgreSQL's driver reports these as plain SQLExceptions.
     */
    private static boolean unavailable(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.startsWith("53")
                        || state.equals("57P01")
                        || state.equals("57P02")
                        || state.equals("57P03"));
    }
}
