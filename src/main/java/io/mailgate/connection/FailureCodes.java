package io.mailgate.connection;

import io.mailgate.component.ews.EwsException;
import io.mailgate.component.msgraph.GraphException;
import io.mailgate.component.msgraph.GraphMailboxException;
import io.mailgate.component.msgraph.GraphThrottledException;
import io.mailgate.oauth.OAuthException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.StoreClosedException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.ResolveEndpointFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/** Maps a failure of a running route to the codes of API.md, so status and test speak the same language. */
public final class FailureCodes {

    public record Failure(String code, String message) {}

    private FailureCodes() {}

    /**
     * Why a message failed inside a poll (the poll itself worked): its storage (database or spool unwritable, disk
     * full), the server dropping the connection while it was fetched, or else what {@link #classify} finds
     * ({@code MESSAGE_FAILED} rather than {@code ERROR} when nothing is recognised, e.g. a failing pipeline hook).
     */
    public static Failure classifyMessageFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DataAccessException
                    || t instanceof TransactionException
                    || t instanceof SQLException
                    || t instanceof FileSystemException
                    || (t instanceof IOException
                            && String.valueOf(t.getMessage()).contains("No space left"))) {
                // A sentence for the admin; the SQL or file-system text stays in the log.
                return new Failure(
                        "STORAGE_FAILED",
                        String.valueOf(t.getMessage()).contains("No space left")
                                ? "Messages cannot be stored: the disk is full."
                                : "Messages cannot be stored: the database or the spool folder refused the write; the details"
                                        + " are in mailgate's log.");
            }
            if (connectionClosed(t)) {
                return new Failure(
                        "CONNECTION_CLOSED",
                        "The server closed the connection while a message was " + "being fetched.");
            }
        }
        Failure general = classify(failure);
        return "ERROR".equals(general.code()) ? new Failure("MESSAGE_FAILED", general.message()) : general;
    }

    /** The connection to the mail server broke after it was made (not refused: that is CONNECTION_REFUSED). */
    private static boolean connectionClosed(Throwable t) {
        return t instanceof FolderClosedException
                || t instanceof StoreClosedException
                || (t instanceof SocketException && !(t instanceof ConnectException))
                || t instanceof EOFException
                || t instanceof ConnectionException;
    }

    /**
     * Camel could not create the route or its endpoint from the connection's settings
     * (FailedToCreateRouteException, ResolveEndpointFailedException, PropertyBindingException): the component's
     * own words about the option it refused, as a sentence, never Camel's exception text.
     */
    private static Failure configuration(Throwable failure) {
        boolean creating = false;
        String refused = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            creating |= t instanceof FailedToCreateRouteException
                    || t instanceof ResolveEndpointFailedException
                    || t instanceof PropertyBindingException;
            if (t instanceof IllegalArgumentException
                    && t.getMessage() != null
                    && !looksLikeExceptionText(t.getMessage())) {
                refused = t.getMessage().strip();
            }
        }
        if (!creating) {
            return null;
        }
        if (refused == null) {
            return new Failure(
                    "CONFIGURATION",
                    "The connection's settings cannot be turned into a route; the details" + " are in mailgate's log.");
        }
        return new Failure(
                "CONFIGURATION",
                "The connection's settings cannot be used: " + refused + (refused.endsWith(".") ? "" : "."));
    }

    /** Text made for a stack trace rather than for a person: Camel's and the JDK's exception messages. */
    private static boolean looksLikeExceptionText(String message) {
        return message.contains("Exception")
                || message.startsWith("Failed to create route")
                || message.startsWith("Failed to resolve endpoint")
                || message.contains("\tat ")
                || message.matches("(?s)^[a-z]+(\\.[a-zA-Z0-9_$]+)+:.*");
    }

    public static Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // The EWS and Graph components already speak in the codes of API.md.
            if (t instanceof EwsException ews) {
                return new Failure(ews.code().name(), ews.getMessage());
            }
            if (t instanceof OAuthException oauth) {
                return new Failure(oauth.needsConsent() ? "CONSENT_REQUIRED" : "TOKEN_FAILED", oauth.getMessage());
            }
            if (t instanceof GraphMailboxException refused) {
                // The same code as the connection test for the same cause (403: PERMISSION_MISSING).
                return new Failure(refused.failure().name(), refused.getMessage());
            }
            if (t instanceof GraphException graph) {
                return new Failure(
                        graph instanceof GraphThrottledException ? "THROTTLED" : "SERVER_ERROR", graph.getMessage());
            }
            if (t instanceof AuthenticationFailedException) {
                return new Failure("AUTH_FAILED", "The server refused the email address or password.");
            }
            if (t instanceof FolderNotFoundException) {
                return new Failure("FOLDER_NOT_FOUND", "The source folder does not exist.");
            }
            if (t instanceof UnknownHostException) {
                return new Failure("UNKNOWN_HOST", "The host name cannot be resolved: " + t.getMessage());
            }
            if (t instanceof SocketTimeoutException) {
                return new Failure("TIMEOUT", "The server did not answer in time.");
            }
            if (t instanceof ConnectException) {
                return new Failure("CONNECTION_REFUSED", "The server refused the connection.");
            }
            if (t instanceof CertificateExpiredException) {
                return new Failure("CERTIFICATE_EXPIRED", "The server's certificate has expired.");
            }
            if (t instanceof CertPathValidatorException || t instanceof CertPathBuilderException) {
                return new Failure(
                        "UNTRUSTED_CERTIFICATE",
                        "The server's certificate is not trusted; test the " + "connection to see it and trust it.");
            }
            if (t instanceof SSLException) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("No subject alternative")
                        || m.contains("doesn't match")
                        || m.contains("Server identity")) {
                    return new Failure("HOSTNAME_MISMATCH", "The server's certificate is for another host name.");
                }
            }
            if (t.getMessage() != null
                    && t.getMessage().contains("STARTTLS")
                    && t.getMessage().contains("required")) {
                return new Failure("TLS_NOT_OFFERED", "The server does not offer STARTTLS; credentials were not sent.");
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (connectionClosed(t)) {
                return new Failure("CONNECTION_CLOSED", "The server closed the connection.");
            }
        }
        Failure configuration = configuration(failure);
        if (configuration != null) {
            return configuration;
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (looksLikeExceptionText(message)) {
            // A status reason is read by an admin: a sentence, the exception itself only in the log.
            message = "An unexpected error occurred (" + failure.getClass().getSimpleName() + "); the details are in"
                    + " mailgate's log.";
        }
        return new Failure("ERROR", message.length() > 300 ? message.substring(0, 300) : message);
    }
}
