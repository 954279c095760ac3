/**
 * S/MIME and PGP/MIME: validating uploaded decryption keys, and unwrapping encrypted and signed mail
 * before it is parsed. Plain Java, no Spring: the connection, quarantine and route code calls it.
 *
 * <h2>Upload ({@code PUT …/decryption-key})</h2>
 * <pre>{@code
 * ValidatedKey key = new DecryptionKeyValidator().validatePkcs12(fileBytes, password);
 * // DecryptionKeyException: reason() for the problem "code", getMessage() for "detail"
 * // store fileBytes + password encrypted; show key.subject(), key.issuer(), key.notAfter(), key.warnings()
 * }</pre>
 *
 * <h2>Per connection (once, then cached: unlocking takes up to a second)</h2>
 * <pre>{@code
 * DecryptionKeys keys = DecryptionKeys.load(p12OrNull, p12Password, pgpKeyOrNull, pgpPassphrase)
 *         .withTrustedCertificates(connectionTrustedCertificates);
 * }</pre>
 *
 * <h2>Per message</h2>
 * <pre>{@code
 * MessageDecryptor decryptor = new MessageDecryptor(maxEncryptedBytes);      // thread-safe, share it
 * try {
 *     DecryptOutcome outcome = decryptor.process(rawFile, outFile, keys);
 *     Path toParse = outcome.wroteOutput() ? outFile : rawFile;               // raw bytes stay the record
 *     // record outcome.encrypted(), decrypted(), signature(), signer(), decryptedWithCertificate()
 * } catch (UndecryptableMessageException e) {
 *     // quarantine rawFile with e.reason() and e.getMessage() (names e.recipients()); the route goes on
 * }
 * }</pre>
 * An {@link java.io.UncheckedIOException} from {@code process} means the files themselves could not
 * be read or written (disk full, permissions): retry, do not quarantine.
 */
package io.mailgate.decrypt;
