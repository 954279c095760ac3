package io.mailgate.parse;

/**
 * Kinds of {@link Artifact}, named like the SOAR's artifact types. New constants are only ever added
 * at the end.
 *
 * <p>{@code IP_ADDRESS} holds IPv4 and IPv6 addresses alike. {@code ORIGINATING_IP} is the sender's
 * address as the oldest external {@code Received} hop (or {@code X-Originating-IP}) tells it.
 * {@code AUTH_RESULT} is one SPF, DKIM or DMARC result of {@code Authentication-Results}, written
 * {@code method=result property=value ...}, for example {@code dmarc=fail header.from=bad.example}.
 */
public enum ArtifactType {
    URL,
    DOMAIN,
    IP_ADDRESS,
    EMAIL_ADDRESS,
    FILE_HASH_SHA256,
    FILE_NAME,
    FILE_HASH_MD5,
    FILE_HASH_SHA1,
    ORIGINATING_IP,
    AUTH_RESULT
}
