package io.mailgate.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads the account name from an id token. Its signature is not checked: the token came straight
 * from the token endpoint over TLS in answer to our own authenticated request (OpenID Connect Core
 * §3.1.3.7 allows that), and the name is only displayed.
 */
final class IdTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IdTokens() {}

    static String username(String idToken) {
        if (idToken == null || idToken.isBlank()) {
            return null;
        }
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(Base64Url.decode(parts[1]));
            for (String claim : new String[] {"preferred_username", "upn", "email", "unique_name"}) {
                if (claims.hasNonNull(claim) && !claims.get(claim).asText().isBlank()) {
                    return claims.get(claim).asText();
                }
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
