package io.mailgate.ops;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to drop a connection whose embedded H2 database has closed itself. H2 closes its database
 * when a write fails (a full disk, a lost volume) and then answers every statement on every open connection with
 * 90098 "The database has been closed". Hikari keeps such connections: it evicts only on connection-class SQLSTATEs
 * (08…) and a few vendor codes. So mailgate kept failing, its API answering 503 and its sources leaving mail unread,
 * after the disk had room again, until it was restarted. Dropped instead, the next connection opens the database
 * anew from what it committed. Set as {@code spring.datasource.hikari.exception-override-class-name}; PostgreSQL's
 * errors are left to Hikari's own rules.
 */
public class ClosedDatabaseEviction implements SQLExceptionOverride {

    /** H2's DATABASE_IS_CLOSED (90098) and DATABASE_CALLED_AT_SHUTDOWN (90121). */
    private static final int H2_DATABASE_IS_CLOSED = 90098;

    private static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && (sql.getErrorCode() == H2_DATABASE_IS_CLOSED
                            || sql.getErrorCode() == H2_DATABASE_CALLED_AT_SHUTDOWN)
                    && String.valueOf(sql.getErrorCode()).equals(sql.getSQLState())) {
                return SQLExceptionOverride.Override.MUST_EVICT;
            }
        }
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
