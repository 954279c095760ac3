/**
 * MIME parsing: raw RFC 5322 bytes in a file become an immutable {@link io.mailgate.parse.ParsedEmail}.
 *
 * <p>Public API: {@link io.mailgate.parse.MimeParser} (thread-safe, one per application is enough),
 * {@link io.mailgate.parse.ParseLimits}, {@link io.mailgate.parse.MalformedEmailException} and the
 * result records. Everything else is package-private.
 *
 * <p>How a parse runs, and why in this order:
 * <ol>
 *   <li>{@code HeaderBlockReader} reads the message's header block itself, bounded by maxHeaderBytes,
 *       decoding raw 8-bit values per field (UTF-8, else ISO-8859-1).</li>
 *   <li>{@code StructureScanner} follows only Content-Type headers and boundary lines in one pass to
 *       reject nesting bombs and part floods before Jakarta Mail splits anything.</li>
 *   <li>{@code ContentFingerprint} streams the file once for the dedup fingerprint and the raw SHA-256.</li>
 *   <li>{@code MimeWalker} walks Jakarta Mail's tree over a {@code SharedFileInputStream} iteratively,
 *       through {@code LimitedMultipart}, which enforces the limits again while splitting.</li>
 *   <li>{@code LeafContents} decodes the bodies ({@code CharsetFallback}) and hashes the attachments
 *       ({@code AttachmentDigester}) as streams; {@code ArtifactExtractor} finds URLs, domains, IPs,
 *       addresses, file names and hashes.</li>
 * </ol>
 */
package io.mailgate.parse;
