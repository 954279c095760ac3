package io.mailgate.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.connection.ConnectionSettings.ProxyProtocol;
import io.mailgate.imap.ImapEncryption;

/**
 * A connection as clients send it (POST, PUT). Secrets are write-only: omitted or null on PUT keeps the
 * stored value. Unknown read-only fields a client echoes back (passwordSet, account, ...) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionRequest(String apiName, String name, String description, Boolean enabled, Protocol protocol,
                                Imap imap, Exchange exchange, OAuth oauth, Proxy proxy,
                                DecryptionInput decryption, IncidentPolicyInput incidentPolicy, PollingInput polling) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Imap(String host, Integer port, String emailAddress, String password, ImapEncryption encryption,
                       String sourceFolder) {
        @Override
        public String toString() {
            return "Imap[host=" + host + ", port=" + port + ", emailAddress=" + emailAddress + ", password=<redacted>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Exchange(String endpoint, String emailAddress, String password, String sourceFolder) {
        @Override
        public String toString() {
            return "Exchange[endpoint=" + endpoint + ", emailAddress=" + emailAddress + ", password=<redacted>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OAuth(OAuthApiType apiType, String endpoint, String clientId, String tenantId,
                        OAuthCredentialType credentialType, String clientSecret, String emailAddress,
                        String sourceFolder, Boolean appOnly, java.time.Instant clientSecretExpiresAt) {
        @Override
        public String toString() {
            return "OAuth[endpoint=" + endpoint + ", clientId=" + clientId + ", clientSecret=<redacted>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Proxy(ProxyProtocol protocol, String host, Integer port, String username, String password) {
        @Override
        public String toString() {
            return "Proxy[" + protocol + "://" + host + ":" + port + ", username=" + username + ", password=<redacted>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DecryptionInput(Boolean enabled) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IncidentPolicyInput(IncidentPolicy.Mode mode, String referencePattern, Boolean threading) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PollingInput(Integer intervalSeconds, Boolean push) {
    }
}
