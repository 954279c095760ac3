package io.mailgate.parse;

/** Kinds of {@link Artifact}, named like the SOAR's artifact types. */
public enum ArtifactType {
    URL, DOMAIN, IP_ADDRESS, EMAIL_ADDRESS, FILE_HASH_SHA256, FILE_NAME
}
