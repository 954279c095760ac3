package io.mailgate.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.util.UUID;

/**
 * The signed JWT a certificate credential sends instead of a secret
 * (client_assertion_type jwt-bearer). Entra finds the certificate by its thumbprint in the header.
 */
final class ClientAssertion {

    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientAssertion() {}

    static String create(ClientCredential.ClientCertificate credential, String clientId, URI audience, Clock clock) {
        try {
            byte[] der = credential.certificate().getEncoded();
            ObjectNode header = JSON.createObjectNode()
                    .put("alg", "RS256")
                    .put("typ", "JWT")
                    // both thumbprints: x5t#S256 is what Entra prefers now, x5t (SHA-1) what older tenants read
                    .put(
                            "x5t#S256",
                            Base64Url.encode(
                                    MessageDigest.getInstance("SHA-256").digest(der)))
                    .put(
                            "x5t",
                            Base64Url.encode(MessageDigest.getInstance("SHA-1").digest(der)));
            long now = clock.instant().getEpochSecond();
            ObjectNode claims = JSON.createObjectNode()
                    .put("aud", audience.toString())
                    .put("iss", clientId)
                    .put("sub", clientId)
                    .put("jti", UUID.randomUUID().toString())
                    .put("iat", now)
                    .put("nbf", now)
                    .put("exp", now + 600);
            String signingInput = Base64Url.encode(JSON.writeValueAsBytes(header)) + "."
                    + Base64Url.encode(JSON.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(credential.privateKey());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64Url.encode(rs256.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign the client assertion: " + e.getMessage(), e);
        }
    }
}
