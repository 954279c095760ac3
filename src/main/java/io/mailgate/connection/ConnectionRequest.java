package io.mailgate.connection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.connection.ConnectionSettings.ProxyProtocol;
import io.mailgate.imap.ImapEncryption;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A connection as clients send it (POST, PUT). Secrets are write-only: omitted or null on PUT keeps the
 * stored value. Unknown read-only fields a client echoes back (passwordSet, account, ...) are ignored.
 * <p>
 * The annotations say what each field must look like on its own; {@link ConnectionValidator} runs them and adds
 * the rules between fields (which block the protocol needs, which secret is required) and against the stored
 * connection. Messages are written to follow the field's name: "imap.port: must be 1-65535".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionRequest(
        @NotBlank(message = REQUIRED)
        @Pattern(
                regexp = API_NAME,
                message = "must start with a lower-case letter and have 2-64 characters of a-z, 0-9 and _")
        String apiName,

        @NotBlank(message = REQUIRED) @Size(max = 200, message = AT_MOST)
        String name,

        @Size(max = 2000, message = AT_MOST) String description,
        Boolean enabled,

        @NotNull(message = "is required: IMAP, EXCHANGE or OAUTH")
        Protocol protocol,

        @Valid Imap imap,
        @Valid Exchange exchange,
        @Valid OAuth oauth,
        @Valid Proxy proxy,
        DecryptionInput decryption,
        @Valid IncidentPolicyInput incidentPolicy,
        @Valid PollingInput polling) {

    public static final String REQUIRED = "is required";
    static final String AT_MOST = "must be at most {max} characters";
    static final String PORT = "must be 1-65535";
    static final String API_NAME = "^[a-z][a-z0-9_]{1,63}$";
    static final String GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    /**
     * A DNS name or an IPv4/IPv6 address (brackets allowed), with the white space around it ignored (possessively:
     * a long run of spaces must not make the matcher backtrack).
     */
    static final String HOST = "\\s*+((?=.{1,253}\\s*$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[?[0-9A-Fa-f:.]+]?)\\s*+";

    static final String HOST_MESSAGE = "must be a host name or an IP address";
    static final int MAX_INTERVAL_SECONDS = 86_400;
    static final String INTERVAL = "must be 1-" + MAX_INTERVAL_SECONDS;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Imap(
            @NotBlank(message = REQUIRED) @Pattern(regexp = HOST, message = HOST_MESSAGE)
            String host,

            @NotNull(message = REQUIRED) @Min(value = 1, message = PORT) @Max(value = 65535, message = PORT)
            Integer port,

            @NotBlank(message = REQUIRED) @SingleLine @Size(max = 320, message = AT_MOST)
            String emailAddress,

            String password, // required unless stored: ConnectionValidator
            ImapEncryption encryption,
            @SingleLine @Size(max = 255, message = AT_MOST) String sourceFolder) {
        @Override
        public String toString() {
            return "Imap[host=" + host + ", port=" + port + ", emailAddress=" + emailAddress + ", password=<redacted>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Exchange(
            @NotBlank(message = "is required, for example https://mail.example.com/EWS/Exchange.asmx")
            @HttpsEndpoint(onPremises = true)
            String endpoint,

            @NotBlank(message = REQUIRED) @SingleLine @Size(max = 640, message = AT_MOST) @Mailbox
            String emailAddress,

            String password, // required unless stored: ConnectionValidator
            @SingleLine @Size(max = 255, message = AT_MOST) String sourceFolder) {
        @Override
        public String toString() {
            return "Exchange[endpoint=" + endpoint + ", emailAddress=" + emailAddress + ", password=<redacted>]";
        }
    }

    /** {@code endpoint} and {@code clientSecret} depend on the API and credential types: ConnectionValidator. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OAuth(
            OAuthApiType apiType,
            String endpoint,

            @NotBlank(message = "is required (the application (client) id of the Entra app)")
            @Pattern(regexp = GUID, message = "must be a GUID such as 00000000-0000-0000-0000-000000000000")
            String clientId,

            @Pattern(
                    regexp = "\\s*|" + GUID + "|" + HOST,
                    message = "must be a directory (tenant) id GUID or a domain, or empty for a multi-tenant app")
            String tenantId,

            OAuthCredentialType credentialType,
            String clientSecret,

            @NotBlank(message = REQUIRED) @SingleLine @Size(max = 640, message = AT_MOST) @Mailbox
            String emailAddress,

            @SingleLine @Size(max = 255, message = AT_MOST) String sourceFolder,
            Boolean appOnly,
            Instant clientSecretExpiresAt) {
        @Override
        public String toString() {
            return "OAuth[endpoint=" + endpoint + ", clientId=" + clientId + ", clientSecret=<redacted>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Proxy(
            @NotNull(message = "is required: HTTP or HTTPS") ProxyProtocol protocol,

            @NotBlank(message = REQUIRED) @Pattern(regexp = HOST, message = HOST_MESSAGE)
            String host,

            @NotNull(message = REQUIRED) @Min(value = 1, message = PORT) @Max(value = 65535, message = PORT)
            Integer port,

            @SingleLine @Size(max = 256, message = AT_MOST) String username,
            String password) {
        @Override
        public String toString() {
            return "Proxy[" + protocol + "://" + host + ":" + port + ", username=" + username
                    + ", password=<redacted>]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DecryptionInput(Boolean enabled) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IncidentPolicyInput(
            IncidentPolicy.Mode mode,

            @Size(max = IdPattern.MAX_LENGTH, message = AT_MOST) @IdPattern
            String referencePattern,

            Boolean threading) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PollingInput(
            @Min(value = 1, message = INTERVAL) @Max(value = MAX_INTERVAL_SECONDS, message = INTERVAL)
            Integer intervalSeconds,

            Boolean push) {}
}
