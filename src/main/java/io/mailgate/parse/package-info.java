/**
 * MIME parsing: raw RFC 5322 bytes in a file become an immutable {@link io.mailgate.parse.ParsedEmail}.
 *
 * <p>Public API: {@link io.mailgate.parse.MimeParser} (thread-safe, one per application is enough),
 * {@link io.mailgate.parse.ParseLimits}, {@link io.mailgate.parse.ArtifactFilter} (an organization's
 * own domains and ranges, passed per call), {@link io.mailgate.parse.MalformedEmailException} and the
 * result records ({@link io.mailgate.parse.AttachedMessage} for messages inside messages). Everything
 * else is package-private.
 *
 * <p>Phishing reports: a message attached to the report (message/rfc822, an .eml, an Outlook .msg read
 * with Apache POI HSMF, a TNEF winmail.dat read with POI HMEF) or forwarded inline in its text is
 * parsed into a ParsedEmail of its own ({@code attachedMessages}, {@code reported}, {@code original()}),
 * and its artifacts are added to the report's with {@code foundIn} saying where. Nested messages count
 * against the same limits: their depth adds to the depth of the part that carries them, and parts and
 * decoded bytes are counted across all of them ({@code ParseRun}).
 *
 * <p>How a parse runs, and why in this order:
 * <ol>
 *   <li>{@code HeaderBlockReader} reads the message's header block itself, bounded by maxHeaderBytes,
 *       decoding raw 8-bit values per field (UTF-8, else ISO-8859-1).</li>
 *   <li>{@code StructureScanner} follows only Content-Type headers and boundary lines in one pass to
 *       reject nesting bombs and part floods before Jakarta Mail splits anything.</li>
 *   <li>{@code ContentFingerprint} streams the file once for the dedup fingerprint and the raw SHA-256.</li>
 *   <li>{@code MimeWalker} walks Jakarta Mail's tree over ranges of the file ({@code SharedFileRange})
 *       iteratively, through {@code LimitedMultipart}, which splits with {@code MultipartSplit} (Jakarta's
 *       rules, one buffered pass) and enforces the limits again while splitting.</li>
 *   <li>{@code LeafContents} decodes the bodies ({@code CharsetFallback}) and hashes the attachments
 *       ({@code AttachmentDigester}) as streams; {@code ArtifactExtractor} finds URLs, domains, IPs,
 *       addresses, file names and hashes.</li>
 *   <li>{@code Draft} assembles the result the same way for every format ({@code OutlookMessages},
 *       {@code InlineForwards}): artifacts (with the originating IP from Received, SPF/DKIM/DMARC from
 *       Authentication-Results, defanged and wrapped URLs), attached messages, the reported one.</li>
 * </ol>
 *
 * <p>Jakarta Mail 2.1 looks its StreamProvider up through a ServiceLoader for every part it creates;
 * with the class path of this application that lookup cost more than the parse.
 * {@code StreamProviderLoader} looks it up once and names it where Jakarta Mail looks first.
 */
package io.mailgate.parse;
