package io.mailgate.connection;

import io.mailgate.imap.ImapEncryption;

/**
 * Everything about a connection except its identity and its secrets, stored as JSON beside the connection.
 * Only the block of the chosen protocol is set. Secrets live in {@code connection_secrets}, encrypted.
 */
public record ConnectionSettings(Imap imap, Exchange exchange, OAuth oauth, Proxy proxy, Decryption decryption,
                                 IncidentPolicy incidentPolicy, Polling polling) {

    public record Imap(String host, int port, String emailAddress, ImapEncryption encryption, String sourceFolder) {
    }

    public record Exchange(String endpoint, String emailAddress, String sourceFolder) {
    }

    public record OAuth(OAuthApiType apiType, String endpoint, String clientId, String tenantId,
                        OAuthCredentialType credentialType, String emailAddress, String sourceFolder) {
    }

    public record Proxy(ProxyProtocol protocol, String host, int port, String username) {
    }

    public record Decryption(boolean enabled) {
    }

    public enum OAuthApiType { MS_GRAPH, EWS }

    public enum OAuthCredentialType { CLIENT_SECRET, CERTIFICATE }

    public enum ProxyProtocol { HTTP, HTTPS }
}
