package io.mailgate.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ResolveEndpointFailedException;
import org.junit.jupiter.api.Test;

/** A status reason is a sentence for an admin, never an exception's text. */
class FailureCodesTest {

    @Test
    void aRouteThatCannotBeCreatedIsExplainedInTheComponentsWords() {
        var refused = new IllegalArgumentException("endpoint: Exchange Online (outlook.office.com) does not accept"
                + " passwords for EWS. Use the OAuth protocol (Microsoft Graph) for Microsoft 365 mailboxes.");
        var failure = new FailedToCreateRouteException(
                "ews-default-x",
                "From[ews:x]",
                "From[ews:x]",
                new ResolveEndpointFailedException(
                        "ews://x?endpoint=https://outlook.office.com/EWS/Exchange.asmx", refused));

        FailureCodes.Failure classified = FailureCodes.classify(failure);

        assertThat(classified.code()).isEqualTo("CONFIGURATION");
        assertThat(classified.message())
                .startsWith("The connection's settings cannot be used: endpoint: Exchange Online")
                .contains("OAuth")
                .doesNotContain("Exception")
                .doesNotContain("Failed to create route");
    }

    @Test
    void aRouteThatCannotBeCreatedForAnotherReasonIsASentenceToo() {
        var failure = new FailedToCreateRouteException(
                "ews-default-x",
                "From[ews:x]",
                "From[ews:x]",
                new IllegalStateException("java.lang.NullPointerException: boom"));

        FailureCodes.Failure classified = FailureCodes.classify(failure);

        assertThat(classified.code()).isEqualTo("CONFIGURATION");
        assertThat(classified.message()).doesNotContain("Exception").endsWith("mailgate's log.");
    }

    @Test
    void anUnexpectedExceptionTextIsNotAReason() {
        FailureCodes.Failure classified =
                FailureCodes.classify(new RuntimeException(new UncheckedIOException(new IOException("x"))));

        assertThat(classified.code()).isEqualTo("ERROR");
        assertThat(classified.message())
                .doesNotContain("java.")
                .contains("RuntimeException")
                .endsWith("mailgate's log.");
    }
}
