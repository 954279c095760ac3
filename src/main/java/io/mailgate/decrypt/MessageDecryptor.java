package io.mailgate.decrypt;

import static io.mailgate.decrypt.UndecryptableMessageException.Reason.CORRUPT;
import static io.mailgate.decrypt.UndecryptableMessageException.Reason.TOO_LARGE;

import io.mailgate.parse.StreamProviderLoader;
import jakarta.mail.MessagingException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSCompressedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.ZlibExpanderProvider;

/**
 * Unwraps S/MIME and PGP/MIME: decrypts, checks and removes signatures, layer after layer (sign then
 * encrypt, encrypt then sign, triple wrapping), and writes a plain MIME message the parser can read.
 *
 * <p>Every layer is a file: the raw message, then each unwrapped entity in a temporary file beside
 * {@code outFile}. Nothing is held in memory but buffers, and the size cap is checked on the file
 * before any cryptographic parsing; each written layer is capped too, because decompression and
 * decryption can grow content.
 *
 * <p>Thread-safe: it holds only its limits.
 */
public final class MessageDecryptor {

    /** Wrappers nest two or three deep in practice (triple wrapping); more is an attack on the parser. */
    static final int MAX_LAYERS = 8;
    /** Header blocks of mail are a few KB; one that is not is left to the parser's own limits. */
    static final int MAX_HEADER_BYTES = 1024 * 1024;
    /** Detached signatures with their certificates are a few KB. */
    static final int MAX_SIGNATURE_BYTES = 1024 * 1024;

    private final long maxEncryptedBytes;
    private final long maxLayerBytes;

    /**
     * @param maxEncryptedBytes the largest protected message accepted; unprotected messages of any size
     *                          pass through untouched (not this class's business)
     */
    public MessageDecryptor(long maxEncryptedBytes) {
        this(maxEncryptedBytes, maxEncryptedBytes * 4);
    }

    /**
     * @param maxLayerBytes the largest unwrapped entity written; compressed layers can expand
     */
    public MessageDecryptor(long maxEncryptedBytes, long maxLayerBytes) {
        if (maxEncryptedBytes <= 0 || maxLayerBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxEncryptedBytes = maxEncryptedBytes;
        this.maxLayerBytes = maxLayerBytes;
    }

    /**
     * Reads raw MIME from rawFile; when it is S/MIME- or PGP/MIME-encrypted and/or signed, writes the
     * inner MIME entity (decrypted, signature unwrapped) to outFile, behind the outer headers, and says
     * what it did. When it is neither, returns an outcome with encrypted=false and does not write
     * (the caller keeps rawFile). keys may be empty (no key installed).
     *
     * @throws UndecryptableMessageException encrypted but not decryptable, or too large; quarantine it
     * @throws UncheckedIOException          the files themselves could not be read or written (retry)
     */
    public DecryptOutcome process(Path rawFile, Path outFile, DecryptionKeys keys)
            throws UndecryptableMessageException {
        DecryptionKeys available = keys == null ? DecryptionKeys.none() : keys;
        String announced = null;
        try {
            MimeHeaders outer = MimeHeaders.read(rawFile, MAX_HEADER_BYTES);
            if (outer == null || Protection.of(outer) == Protection.NONE) {
                return DecryptOutcome.notProtected();
            }
            announced = format(Protection.of(outer));
            long size = Files.size(rawFile);
            if (size > maxEncryptedBytes) {
                throw new UndecryptableMessageException(
                        TOO_LARGE,
                        format(Protection.of(outer)),
                        List.of(),
                        "Protected message of " + size + " bytes is larger than the limit of " + maxEncryptedBytes
                                + " bytes; it was not opened.",
                        null);
            }
            Path directory = outFile.toAbsolutePath().getParent();
            try (TemporaryFiles temporary = new TemporaryFiles(directory)) {
                return new Run(available, temporary).unwrap(rawFile, outer, outFile);
            }
        } catch (LimitedOutputStream.LimitExceededException e) {
            throw new UndecryptableMessageException(
                    TOO_LARGE,
                    announced,
                    List.of(),
                    "An unwrapped layer of the message is" + " larger than the limit of " + maxLayerBytes
                            + " bytes (decompression or nesting).",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String format(Protection protection) {
        return protection == Protection.PGP_ENCRYPTED || protection == Protection.PGP_SIGNED ? "PGP" : "SMIME";
    }

    /** The state of one message going through the layers. */
    private final class Run {

        private final DecryptionKeys keys;
        private final TemporaryFiles temporary;
        private boolean encrypted;
        private String format = "NONE";
        private ValidatedKey decryptedWith;
        private String decryptedWithName;
        private SignatureResult signature = SignatureResult.of(SignatureStatus.NONE);

        Run(DecryptionKeys keys, TemporaryFiles temporary) {
            this.keys = keys;
            this.temporary = temporary;
        }

        DecryptOutcome unwrap(Path rawFile, MimeHeaders outer, Path outFile)
                throws IOException, UndecryptableMessageException {
            Path current = rawFile;
            MimeHeaders headers = outer;
            for (int depth = 0; ; depth++) {
                Protection protection = Protection.of(headers);
                if (protection == Protection.NONE) {
                    break;
                }
                if (depth == MAX_LAYERS) {
                    throw new UndecryptableMessageException(
                            CORRUPT,
                            format(protection),
                            List.of(),
                            "The message nests more than " + MAX_LAYERS + " S/MIME or PGP/MIME layers.",
                            null);
                }
                Path next = switch (protection) {
                    case SMIME_CMS -> cms(current, headers);
                    case SMIME_SIGNED, PGP_SIGNED -> signed(current, headers, protection);
                    case PGP_ENCRYPTED -> pgpEncrypted(current, headers);
                    case NONE -> throw new IllegalStateException();
                };
                if (next == null) { // a signed wrapper too broken to unwrap: keep what we have
                    break;
                }
                current = next;
                headers = MimeHeaders.read(current, MAX_HEADER_BYTES);
                if (headers == null) { // not a MIME entity we can look into: hand it on as it is
                    break;
                }
            }
            boolean wrote = current != rawFile;
            if (wrote) {
                Path assembled = temporary.create();
                OutputAssembler.write(outer, current, assembled);
                Files.move(assembled, outFile, StandardCopyOption.REPLACE_EXISTING);
            }
            return new DecryptOutcome(
                    encrypted,
                    encrypted,
                    format,
                    decryptedWithName,
                    signature.status(),
                    signature.signer(),
                    signature.signerCertificateSubject(),
                    wrote,
                    decryptedWith == null ? null : decryptedWith.sha256());
        }

        private Path cms(Path entity, MimeHeaders headers) throws IOException, UndecryptableMessageException {
            setFormat("SMIME");
            Path der = temporary.create();
            decodeBody(entity, headers, headers.transferEncoding(), der, maxLayerBytes);
            if (!startsWithDerSequence(der) && !"base64".equals(headers.transferEncoding())) {
                // Some gateways drop Content-Transfer-Encoding but leave the body in base64.
                decodeBody(entity, headers, "base64", der, maxLayerBytes);
            }
            ASN1ObjectIdentifier type = contentType(der);
            Path next = temporary.create();
            if (CMSObjectIdentifiers.envelopedData.equals(type)
                    || CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                encrypted = true;
                SmimeEnvelope.Decrypted result = SmimeEnvelope.decrypt(
                        der,
                        next,
                        keys.ofKind(KeyKind.PKCS12),
                        CMSObjectIdentifiers.authEnvelopedData.equals(type),
                        maxLayerBytes);
                recordKey(result.key(), result.key().subject());
            } else if (CMSObjectIdentifiers.signedData.equals(type)) {
                try {
                    record(SmimeSignatures.verifyOpaque(der, next, keys.trustedCertificates(), maxLayerBytes));
                } catch (CMSException | IOException e) {
                    if (e instanceof LimitedOutputStream.LimitExceededException limit) {
                        throw limit;
                    }
                    // The signed content itself cannot be read: there is no message to hand on.
                    throw new UndecryptableMessageException(
                            CORRUPT, "SMIME", List.of(), "The S/MIME signed-data cannot be read: " + e.getMessage(), e);
                }
            } else if (CMSObjectIdentifiers.compressedData.equals(type)) {
                decompress(der, next);
            } else {
                throw new UndecryptableMessageException(
                        CORRUPT,
                        "SMIME",
                        List.of(),
                        "application/pkcs7-mime holds " + (type == null ? "no CMS structure" : "CMS type " + type)
                                + ", not enveloped, signed or compressed data.",
                        null);
            }
            return next;
        }

        private void decompress(Path der, Path next) throws IOException, UndecryptableMessageException {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(der));
                    OutputStream out = new LimitedOutputStream(
                            new BufferedOutputStream(Files.newOutputStream(next)), maxLayerBytes)) {
                new CMSCompressedDataParser(in)
                        .getContent(new ZlibExpanderProvider())
                        .getContentStream()
                        .transferTo(out);
            } catch (CMSException | IllegalArgumentException e) {
                throw new UndecryptableMessageException(
                        CORRUPT, "SMIME", List.of(), "The S/MIME compressed-data cannot be read: " + e.getMessage(), e);
            }
        }

        /** multipart/signed: verify, then continue with the first part. Never fails the message. */
        private Path signed(Path entity, MimeHeaders headers, Protection protection) throws IOException {
            setFormat(protection == Protection.PGP_SIGNED ? "PGP" : "SMIME");
            String boundary = headers.contentType().getParameter("boundary");
            List<MultipartSplitter.Part> parts =
                    boundary == null ? List.of() : MultipartSplitter.split(entity, headers.bodyOffset(), boundary);
            if (parts.size() < 2) {
                record(SignatureResult.of(SignatureStatus.INVALID));
                return null;
            }
            Path content = temporary.create();
            MultipartSplitter.copy(entity, parts.get(0), content);
            Path signaturePart = temporary.create();
            MultipartSplitter.copy(entity, parts.get(1), signaturePart);
            MimeHeaders signatureHeaders = MimeHeaders.read(signaturePart, MAX_HEADER_BYTES);
            SignatureResult result;
            if (signatureHeaders == null || Files.size(signaturePart) > MAX_SIGNATURE_BYTES) {
                result = SignatureResult.of(SignatureStatus.INVALID);
            } else if (protection == Protection.PGP_SIGNED) {
                try (InputStream in = bodyStream(signaturePart, signatureHeaders)) {
                    result = PgpMessages.verifyDetached(content, in, keys);
                }
            } else {
                byte[] signature;
                try (InputStream in = bodyStream(signaturePart, signatureHeaders)) {
                    signature = in.readNBytes(MAX_SIGNATURE_BYTES);
                }
                if (signature.length > 0 && signature[0] != 0x30) { // base64 without its header
                    try {
                        signature = Base64.getMimeDecoder().decode(signature);
                    } catch (IllegalArgumentException e) {
                        // left as it is: verification reports it INVALID
                    }
                }
                result = SmimeSignatures.verifyDetached(content, signature, keys.trustedCertificates());
            }
            record(result);
            return content;
        }

        private Path pgpEncrypted(Path entity, MimeHeaders headers) throws IOException, UndecryptableMessageException {
            setFormat("PGP");
            encrypted = true;
            String boundary = headers.contentType().getParameter("boundary");
            List<MultipartSplitter.Part> parts =
                    boundary == null ? List.of() : MultipartSplitter.split(entity, headers.bodyOffset(), boundary);
            if (parts.size() < 2) {
                throw new UndecryptableMessageException(
                        CORRUPT, "PGP", List.of(), "multipart/encrypted without its two parts (RFC 3156).", null);
            }
            Path encryptedPart = temporary.create();
            MultipartSplitter.copy(entity, parts.get(1), encryptedPart);
            MimeHeaders partHeaders = MimeHeaders.read(encryptedPart, MAX_HEADER_BYTES);
            if (partHeaders == null) {
                throw new UndecryptableMessageException(
                        CORRUPT,
                        "PGP",
                        List.of(),
                        "The encrypted part of the PGP/MIME message has no readable headers.",
                        null);
            }
            Path next = temporary.create();
            try (InputStream in = bodyStream(encryptedPart, partHeaders)) {
                PgpMessages.Decrypted result = PgpMessages.decrypt(in, next, keys, maxLayerBytes);
                recordKey(
                        result.key(),
                        result.key().subject() + " (key " + PgpDecryptionKeys.keyId(result.keyId()) + ")");
                record(result.signature());
            }
            return next;
        }

        private void setFormat(String value) {
            if (format.equals("NONE")) {
                format = value;
            }
        }

        private void recordKey(ValidatedKey key, String name) {
            if (decryptedWith == null) {
                decryptedWith = key;
                decryptedWithName = name;
            }
        }

        /** The first signature found is the one reported (outermost for encrypt-then-sign, inner otherwise). */
        private void record(SignatureResult result) {
            if (signature.status() == SignatureStatus.NONE) {
                signature = result;
            }
        }
    }

    /** The body of an entity, transfer decoding undone. */
    private static InputStream bodyStream(Path entity, MimeHeaders headers) throws IOException {
        return bodyStream(entity, headers, headers.transferEncoding());
    }

    private static InputStream bodyStream(Path entity, MimeHeaders headers, String encoding) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(entity), 64 * 1024);
        in.skipNBytes(headers.bodyOffset());
        try {
            return StreamProviderLoader.decode(in, encoding); // MimeUtility.decode, without a class path scan
        } catch (MessagingException e) {
            return in; // an unknown transfer encoding: take the bytes as they are
        }
    }

    private static void decodeBody(Path entity, MimeHeaders headers, String encoding, Path target, long limit)
            throws IOException {
        try (InputStream in = bodyStream(entity, headers, encoding);
                OutputStream out =
                        new LimitedOutputStream(new BufferedOutputStream(Files.newOutputStream(target)), limit)) {
            in.transferTo(out);
        }
    }

    private static boolean startsWithDerSequence(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x30;
        }
    }

    /** Reads only the ContentInfo's type OID (the first few bytes), to pick the right parser. */
    private static ASN1ObjectIdentifier contentType(Path der) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(der))) {
            ASN1Encodable outer =
                    new ASN1StreamParser(in, (int) Math.min(Integer.MAX_VALUE, Files.size(der))).readObject();
            if (outer instanceof ASN1SequenceParser sequence
                    && sequence.readObject() instanceof ASN1ObjectIdentifier oid) {
                return oid;
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // not DER at all: reported as "no CMS structure"
        }
    }

    /** Temporary files beside the output, all deleted when the message is done, whatever happened. */
    private static final class TemporaryFiles implements AutoCloseable {

        private final Path directory;
        private final List<Path> files = new ArrayList<>();

        TemporaryFiles(Path directory) {
            this.directory = directory;
        }

        Path create() throws IOException {
            Path file = directory == null
                    ? Files.createTempFile("mailgate-decrypt", ".tmp")
                    : Files.createTempFile(directory, "mailgate-decrypt", ".tmp");
            files.add(file);
            return file;
        }

        @Override
        public void close() {
            for (Path file : files) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // best effort: a leftover temporary file must not turn into a failed message
                }
            }
        }
    }
}
