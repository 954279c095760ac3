package io.mailgate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionRefTest {

    @Test
    void aRouteIdNamesItsConnectionEvenWhenTheOrganizationHasHyphens() {
        ConnectionRef ref = ConnectionRef.ofRoute("imap-acme-eu-west-phishing_reports");
        assertThat(ref).isEqualTo(new ConnectionRef("imap", "acme-eu-west", "phishing_reports"));
        assertThat(ref.name()).isEqualTo("acme-eu-west/phishing_reports");
        assertThat(ref.routeId()).isEqualTo("imap-acme-eu-west-phishing_reports");
    }

    @Test
    void otherRoutesAreNoConnections() {
        assertThat(ConnectionRef.ofRoute("mailgate-pipeline")).isNull();
        assertThat(ConnectionRef.ofRoute("mailgate-outbox-soar")).isNull();
        assertThat(ConnectionRef.ofRoute("tag-invoices")).isNull();
        assertThat(ConnectionRef.ofRoute(null)).isNull();
    }
}
