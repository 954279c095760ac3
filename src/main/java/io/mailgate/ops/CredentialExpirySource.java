package io.mailgate.ops;

import io.mailgate.connection.ConnectionEntity;
import java.time.Instant;
import java.util.List;

/**
 * Tells {@link CredentialHealth} when a connection's credentials expire. mailgate knows its decryption
 * certificates and trusted server certificates; a package that holds other credentials (an OAuth client secret or
 * certificate, a refresh token) adds a bean of this type.
 */
interface CredentialExpirySource {

    /**
     * @param credential what expires: {@code secret}, {@code certificate}, {@code refresh_token} or
     *                   {@code decryption_certificate}
     * @param name       which one, as an admin recognises it (a subject, never a secret)
     */
    record Expiry(String credential, String name, Instant notAfter) {}

    List<Expiry> expiries(ConnectionEntity connection);
}
