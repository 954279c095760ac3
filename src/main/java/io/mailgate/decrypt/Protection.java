package io.mailgate.decrypt;

import jakarta.mail.internet.ContentType;
import java.util.Locale;

/** The kind of cryptographic wrapping a MIME entity announces in its Content-Type. */
enum Protection {
    NONE,
    /** application/(x-)pkcs7-mime: enveloped, auth-enveloped, signed or compressed CMS; the CMS content type decides. */
    SMIME_CMS,
    /** multipart/signed with an S/MIME detached signature. */
    SMIME_SIGNED,
    /** multipart/encrypted, RFC 3156. */
    PGP_ENCRYPTED,
    /** multipart/signed with an OpenPGP detached signature. */
    PGP_SIGNED;

    static Protection of(MimeHeaders headers) {
        ContentType type = headers.contentType();
        String base = type.getBaseType().toLowerCase(Locale.ROOT);
        String protocol = lower(type.getParameter("protocol"));
        switch (base) {
            case "application/pkcs7-mime", "application/x-pkcs7-mime":
                return SMIME_CMS;
            case "application/octet-stream": {
                // Some gateways relabel smime.p7m as a generic attachment.
                String name = lower(headers.fileName());
                return name.endsWith(".p7m") ? SMIME_CMS : NONE;
            }
            case "multipart/signed":
                if (protocol.equals("application/pkcs7-signature")
                        || protocol.equals("application/x-pkcs7-signature")) {
                    return SMIME_SIGNED;
                }
                return protocol.equals("application/pgp-signature") ? PGP_SIGNED : NONE;
            case "multipart/encrypted":
                return protocol.equals("application/pgp-encrypted") ? PGP_ENCRYPTED : NONE;
            default:
                return NONE;
        }
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT).strip();
    }
}
