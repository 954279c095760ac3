package io.mailgate.connection;

/** The secrets a connection may hold; each is stored encrypted under its own name. */
public enum SecretName {
    IMAP_PASSWORD("imap.password"),
    EXCHANGE_PASSWORD("exchange.password"),
    OAUTH_CLIENT_SECRET("oauth.clientSecret"),
    OAUTH_REFRESH_TOKEN("oauth.refreshToken"),
    /** The Entra app's certificate with its private key: PEM text, or a PKCS#12 file in base64. */
    OAUTH_CERTIFICATE("oauth.certificate"),
    OAUTH_CERTIFICATE_PASSWORD("oauth.certificatePassword"),
    PROXY_PASSWORD("proxy.password"),
    /** The uploaded PKCS#12 file, base64. */
    DECRYPTION_KEY("decryption.key"),
    DECRYPTION_KEY_PASSWORD("decryption.keyPassword"),
    /** An armored OpenPGP secret key for PGP/MIME. */
    PGP_KEY("decryption.pgpKey"),
    PGP_PASSPHRASE("decryption.pgpPassphrase");

    private final String key;

    SecretName(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
