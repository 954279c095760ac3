package io.mailgate.parse;

/**
 * Bounds that keep a hostile or broken message from exhausting memory or time while it is parsed.
 *
 * @param maxDepth        how many multiparts and attached messages (message/rfc822, .eml, .msg,
 *                        winmail.dat) may be nested inside each other, counted together
 * @param maxParts        how many MIME body parts the whole message may have
 * @param maxHeaderBytes  size of one header block (of the message, or of any body part), line ends included
 * @param maxTextChars    characters kept of the text body and, separately, of the HTML body; the rest is cut
 *                        off and {@link ParsedEmail#truncated()} is set
 * @param maxDecodedBytes bytes that may be decoded (base64, quoted-printable) across all parts of one message
 */
public record ParseLimits(int maxDepth, int maxParts, int maxHeaderBytes, int maxTextChars, long maxDecodedBytes) {

    public ParseLimits {
        requirePositive("maxDepth", maxDepth);
        requirePositive("maxParts", maxParts);
        requirePositive("maxHeaderBytes", maxHeaderBytes);
        requirePositive("maxTextChars", maxTextChars);
        requirePositive("maxDecodedBytes", maxDecodedBytes);
    }

    /**
     * Generous for real mail (Exchange Online accepts messages up to 150 MB; real header blocks with
     * long Received/ARC chains stay well under 1 MiB), tight enough to stop bombs early.
     */
    public static ParseLimits defaults() {
        return new ParseLimits(20, 1_000, 1024 * 1024, 1_000_000, 256L * 1024 * 1024);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
