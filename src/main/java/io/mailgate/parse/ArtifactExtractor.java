package io.mailgate.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects artifacts (URLs, domains, IP addresses, email addresses, file names and hashes) from the
 * parts of a message, deduplicated by type and value, in the order they are first found.
 *
 * <p>Plain regular expressions over decoded text, which also covers HTML once entities are decoded:
 * an href value sits between quotes or ends at {@code >}, both of which end a URL match. Every pattern
 * starts only at a token boundary and consumes possessively, so matching stays linear in the text
 * length even on hostile input.
 *
 * <p>Defanged indicators as analysts and reporters write them ({@code hxxp[:]//bad[.]example},
 * {@code user[@]bad[.]example}) are refanged before matching. URLs wrapped by a redirector or a
 * rewriting gateway (Microsoft Safe Links, Proofpoint URL Defense, Google's /url, any link whose
 * {@code url}/{@code u}/{@code q}/{@code target}/... parameter is itself a URL) also yield the target;
 * the wrapper is dropped when it is a security gateway's, kept otherwise (an abused open redirect is
 * evidence). Every artifact passes the organization's {@link ArtifactFilter}.
 */
final class ArtifactExtractor {

    /** More than this is noise for an analyst and a cost for the SOAR; the rest is dropped. */
    static final int MAX_ARTIFACTS = 10_000;

    static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|ftps?)://[^\\s<>\"'`{}|\\\\^]++");
    // No repeated groups anywhere: Java matches those recursively, and "a.a.a.…" a few thousand
    // labels long would overflow the stack. Domains are matched flat and checked in code instead.
    static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@([A-Za-z0-9.-]++)");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    static final Pattern IPV4 = Pattern.compile("(?<![0-9.])" + OCTET + "(?:\\." + OCTET + "){3}(?![0-9]|\\.[0-9])");
    static final Pattern IPV6_CANDIDATE = Pattern.compile("(?<![\\w:.])[0-9A-Fa-f:.]{2,45}+(?![\\w:])");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|amp|lt|gt|quot|apos);");

    static final Pattern DEFANGED =
            Pattern.compile("(?i)\\bhxxps?(?=\\[?:)|\\[(?:\\.|dot|:|://|@|at)\\]|\\((?:\\.|dot)\\)|\\{\\.\\}");
    private static final Pattern QUERY_PARAM = Pattern.compile("[?&]([A-Za-z_]{1,12})=([^&#]*+)");
    private static final Set<String> TARGET_PARAMS = Set.of(
            "url", "u", "q", "target", "dest", "destination", "redirect", "redirect_url", "link", "goto", "to", "r");
    /** Rewriters run by the recipient's own security gateway: their wrapper is noise, only the target counts. */
    private static final List<String> GATEWAY_HOSTS =
            List.of("safelinks.protection.outlook.com", "urldefense.proofpoint.com", "urldefense.com");

    private static final Pattern RECEIVED_FROM_IP = Pattern.compile("[\\[(](?:IPv6:)?([0-9A-Fa-f:.]{2,45})[\\])]");
    private static final Pattern AUTH_METHOD = Pattern.compile("(?i)^(spf|dkim|dmarc)\\s*=\\s*([A-Za-z]+)(.*)$");

    private final Map<String, Artifact> found = new LinkedHashMap<>();
    private final ArtifactFilter filter;
    private boolean capped;

    ArtifactExtractor() {
        this(ArtifactFilter.none());
    }

    ArtifactExtractor(ArtifactFilter filter) {
        this.filter = filter;
    }

    void addresses(String headerName, List<EmailAddress> addresses) {
        for (EmailAddress address : addresses) {
            if (address.address().indexOf('@') < 0) {
                continue; // a display name split at its comma, or a local name: nothing to look up
            }
            add(ArtifactType.EMAIL_ADDRESS, address.address(), "header:" + headerName);
        }
    }

    /**
     * URLs, IP addresses and email addresses in a text. Each pattern is tried only where its match must be
     * anchored (around a "://", a ':' or an '@') instead of at every character: trying the four patterns at
     * every position was the largest CPU cost of ingesting a message (issue 13's profile). The matches are the
     * same as a find() over the whole text (see the comment at each anchor).
     */
    void text(String foundIn, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        text = refang(text);
        eachUrl(text, url -> url(trimTrailingPunctuation(url.group()), foundIn, 0));
        if (text.indexOf('.') >= 0) {
            eachIpv4(text, ipv4 -> add(ArtifactType.IP_ADDRESS, ipv4.group(), foundIn));
        }
        eachIpv6Candidate(text, ipv6 -> {
            String candidate = ipv6.group();
            if (isIpv6(candidate)) {
                add(ArtifactType.IP_ADDRESS, candidate.toLowerCase(Locale.ROOT), foundIn);
            }
        });
        String scanned = text;
        eachEmail(text, email -> {
            String domain = email.group(1);
            int end = domain.length();
            while (end > 0 && (domain.charAt(end - 1) == '.' || domain.charAt(end - 1) == '-')) {
                end--; // sentence punctuation after the address
            }
            if (isDomain(domain.substring(0, end))) {
                String address = scanned.substring(email.start(), email.start(1) + end);
                add(ArtifactType.EMAIL_ADDRESS, EnvelopeFields.normaliseAddress(address), foundIn);
            }
        });
    }

    // The three scanners below find exactly what find() with their pattern finds over the whole text (a test
    // compares them), but try the pattern only where a match can start instead of at every character: trying
    // four patterns at every position was the largest CPU cost of ingesting a message (issue 13's profile).

    /**
     * {@link #URL} matches: the "://" follows a scheme of 3 to 5 letters, so a match can only start 3, 4 or 5
     * characters before a "://"; a "://" inside an earlier match (a wrapped link) is part of that match.
     */
    static void eachUrl(String text, Consumer<MatchResult> found) {
        Matcher url = null;
        int end = 0;
        for (int k = text.indexOf("://"); k >= 0; k = text.indexOf("://", Math.max(k + 1, end))) {
            if (url == null) {
                url = URL.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            }
            for (int start = Math.max(end, k - 5); start <= k - 3; start++) {
                url.region(start, text.length());
                if (url.lookingAt()) {
                    end = url.end();
                    found.accept(url.toMatchResult());
                    break;
                }
            }
        }
    }

    /**
     * {@link #IPV4} matches: one starts only at a digit that neither a digit nor a '.' precedes (the look-behind),
     * and its first octet (one to three digits) is followed by a '.'. Tried at every character, this pattern was
     * most of the regular-expression time of an HTML body (issue 13's second profile).
     */
    static void eachIpv4(String text, Consumer<MatchResult> found) {
        Matcher ipv4 = null;
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!isDigit(text.charAt(i)) || i > 0 && (isDigit(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
                i++;
                continue;
            }
            int digits = i;
            while (digits < length && digits - i < 4 && isDigit(text.charAt(digits))) {
                digits++;
            }
            if (digits - i <= 3 && digits < length && text.charAt(digits) == '.') {
                if (ipv4 == null) {
                    ipv4 = IPV4.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
                }
                ipv4.region(i, length);
                if (ipv4.lookingAt()) {
                    found.accept(ipv4.toMatchResult());
                    i = ipv4.end();
                    continue;
                }
            }
            i = digits; // a digit inside this run has a digit before it: no match starts there
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * {@link #IPV6_CANDIDATE} matches: the pattern matches a run of [0-9A-Fa-f:.] that no such character (nor
     * a word character) precedes, so only at the start of such a run; runs without a ':' are not reported
     * (no address is written without one).
     */
    static void eachIpv6Candidate(String text, Consumer<MatchResult> found) {
        Matcher ipv6 = null;
        for (int colon = text.indexOf(':'); colon >= 0; ) {
            int start = colon;
            while (start > 0 && isIpv6Char(text.charAt(start - 1))) {
                start--;
            }
            int runEnd = colon;
            while (runEnd < text.length() && isIpv6Char(text.charAt(runEnd))) {
                runEnd++;
            }
            if (ipv6 == null) {
                ipv6 = IPV6_CANDIDATE.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            }
            ipv6.region(start, text.length());
            if (ipv6.lookingAt()) {
                found.accept(ipv6.toMatchResult());
            }
            colon = text.indexOf(':', runEnd);
        }
    }

    private static boolean isIpv6Char(char c) {
        return c == ':' || c == '.' || c < 128 && Character.digit(c, 16) >= 0;
    }

    /**
     * {@link #EMAIL} matches: one can start only where the run of local-part characters before an '@' starts
     * (the pattern's look-behind allows no other start), and not inside the previous match.
     */
    static void eachEmail(String text, Consumer<MatchResult> found) {
        Matcher email = null;
        int previousEnd = 0;
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
            int start = at;
            while (start > 0 && isLocalChar(text.charAt(start - 1))) {
                start--;
            }
            if (start == at || start < previousEnd) {
                continue;
            }
            if (email == null) {
                email = EMAIL.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
            }
            email.region(start, text.length());
            if (email.lookingAt()) {
                previousEnd = email.end();
                found.accept(email.toMatchResult());
            }
        }
    }

    private static boolean isLocalChar(char c) {
        return c >= 'A' && c <= 'Z'
                || c >= 'a' && c <= 'z'
                || c >= '0' && c <= '9'
                || c == '.'
                || c == '_'
                || c == '%'
                || c == '+'
                || c == '-';
    }

    /** A URL, its host, and the target it wraps (a few levels at most: wrappers wrap wrappers). */
    private void url(String value, String foundIn, int level) {
        String target = level < 4 ? unwrap(value) : null;
        String host = host(value);
        boolean gateway = target != null
                && host != null
                && GATEWAY_HOSTS.stream().anyMatch(g -> host.equals(g) || host.endsWith("." + g));
        if (!gateway && add(ArtifactType.URL, value, foundIn) && host != null) {
            if (IPV4.matcher(host).matches() || isIpv6(host)) {
                add(ArtifactType.IP_ADDRESS, host, foundIn);
            } else if (isDomain(host)) {
                add(ArtifactType.DOMAIN, host, foundIn);
            }
        }
        if (target != null) {
            url(target, foundIn, level + 1);
        }
    }

    /** The URL a redirector or link rewriter points to, when it is written in the link itself; else null. */
    static String unwrap(String url) {
        String host = host(url);
        if (host == null) {
            return null;
        }
        if (host.equals("urldefense.com") || host.endsWith(".urldefense.com")) {
            int start = url.indexOf("/v3/__");
            int end = start < 0 ? -1 : url.indexOf("__;", start + 6);
            if (end > start) {
                return asUrl(url.substring(start + 6, end));
            }
        }
        Matcher m = QUERY_PARAM.matcher(url);
        while (m.find()) {
            if (!TARGET_PARAMS.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                continue;
            }
            String raw = m.group(2);
            if (host.endsWith("urldefense.proofpoint.com") && url.contains("/v2/")) {
                raw = raw.replace('-', '%').replace('_', '/');
            }
            String target = asUrl(percentDecode(raw));
            if (target != null) {
                return target;
            }
        }
        return null;
    }

    private static String asUrl(String candidate) {
        Matcher m = URL.matcher(candidate);
        return m.lookingAt() && m.end() == candidate.length() ? trimTrailingPunctuation(candidate) : null;
    }

    /** Percent-decoding as UTF-8 (Latin-1 where the bytes are not UTF-8); '+' is a space only in forms, so kept. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%'
                    && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return CharsetFallback.decode(bytes.toByteArray(), "utf-8");
    }

    /** hxxp → http, [.] (.) [dot] → ., [:] → :, [@] [at] → @; other text untouched. */
    static String refang(String text) {
        int candidate = firstDefangCandidate(text);
        // most text has no candidate at all: a few vectorised scans instead of the pattern tried at every character
        return candidate < 0 ? text : refangFrom(text, candidate);
    }

    /** {@link #refang} of a text in which no defanged form starts before {@code from}. */
    static String refangFrom(String text, int from) {
        Matcher m = DEFANGED.matcher(text);
        if (!m.find(from)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String d = m.group().toLowerCase(Locale.ROOT);
            String replacement;
            if (d.startsWith("h")) {
                replacement = d.endsWith("s") ? "https" : "http";
            } else if (d.contains("://")) {
                replacement = "://";
            } else if (d.contains(":")) {
                replacement = ":";
            } else if (d.contains("@") || d.contains("at")) {
                replacement = "@";
            } else {
                replacement = ".";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Where a defanged form could start, or -1: "hxx" (any case), or a bracket followed by what the pattern's
     * bracketed forms begin with. The pattern cannot match before it, so it is tried from there. Each kind is found
     * with String.indexOf, which the JIT vectorises: a loop over every character was 13% of a warm parse's CPU
     * (issue 13).
     */
    private static int firstDefangCandidate(String text) {
        int first = earlier(firstHxx(text, 'x'), firstHxx(text, 'X'));
        first = earlier(first, firstBracket(text, '['));
        first = earlier(first, firstBracket(text, '('));
        return earlier(first, firstBracket(text, '{'));
    }

    /** The first "hxx" (any case) whose first x is {@code x}, or -1. */
    private static int firstHxx(String text, char x) {
        for (int j = text.indexOf(x, 1); j >= 0 && j + 1 < text.length(); j = text.indexOf(x, j + 1)) {
            char h = text.charAt(j - 1);
            if ((h == 'h' || h == 'H') && (text.charAt(j + 1) | 0x20) == 'x') {
                return j - 1;
            }
        }
        return -1;
    }

    /** The first {@code open} followed by what a bracketed defanged form begins with, or -1. */
    private static int firstBracket(String text, char open) {
        for (int i = text.indexOf(open); i >= 0 && i + 2 < text.length(); i = text.indexOf(open, i + 1)) {
            char next = text.charAt(i + 1);
            char lower = (char) (next | 0x20);
            boolean candidate = switch (open) {
                case '[' -> next == '.' || next == ':' || next == '@' || lower == 'd' || lower == 'a';
                case '(' -> next == '.' || lower == 'd';
                default -> next == '.';
            };
            if (candidate) {
                return i;
            }
        }
        return -1;
    }

    private static int earlier(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /**
     * The originating IP: in the oldest Received header whose "from" clause names a public address
     * that the filter keeps (hops inside the organization are skipped), that address.
     *
     * @param received Received header values, newest (topmost) first, as they appear
     */
    void received(List<String> received) {
        for (int i = received.size() - 1; i >= 0; i--) {
            String value = received.get(i);
            String lower = value.toLowerCase(Locale.ROOT);
            int from = lower.startsWith("from ") ? 0 : lower.indexOf(" from ");
            if (from < 0) {
                continue;
            }
            int by = lower.indexOf(" by ", from);
            String clause = value.substring(from, by < 0 ? value.length() : by);
            Matcher m = RECEIVED_FROM_IP.matcher(clause);
            while (m.find()) {
                byte[] bytes = IpAddresses.parse(m.group(1));
                if (bytes == null || IpAddresses.isInternal(bytes)) {
                    continue;
                }
                String ip = m.group(1).toLowerCase(Locale.ROOT);
                if (!filter.drops(ArtifactType.ORIGINATING_IP, ip)) {
                    add(ArtifactType.ORIGINATING_IP, ip, "header:Received");
                    return;
                }
            }
        }
    }

    /** X-Originating-IP (Exchange, webmail): the client's address, in brackets or not. */
    void originatingIpHeader(String value) {
        if (value == null) {
            return;
        }
        String ip = value.strip().replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        byte[] bytes = IpAddresses.parse(ip);
        if (bytes != null && !IpAddresses.isInternal(bytes)) {
            add(ArtifactType.ORIGINATING_IP, ip, "header:X-Originating-IP");
        }
    }

    /** SPF, DKIM and DMARC results of Authentication-Results headers (RFC 8601), comments removed. */
    void authenticationResults(List<String> values) {
        for (String value : values) {
            String noComments = stripComments(value);
            String[] segments = noComments.split(";");
            // segment 0 is the authserv-id, except from Exchange Online, which leaves it out
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i].strip().replaceAll("\\s+", " ");
                Matcher m = AUTH_METHOD.matcher(segment);
                if (m.matches()) {
                    String result = m.group(1).toLowerCase(Locale.ROOT) + "="
                            + m.group(2).toLowerCase(Locale.ROOT) + m.group(3).replaceAll("\\s*=\\s*", "=");
                    add(ArtifactType.AUTH_RESULT, result.strip(), "header:Authentication-Results");
                }
            }
        }
    }

    private static String stripComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Another message's artifacts (an attached or forwarded one), under a prefix saying where it was. */
    void nested(String prefix, List<Artifact> artifacts) {
        for (Artifact artifact : artifacts) {
            add(artifact.type(), artifact.value(), prefix + "/" + artifact.foundIn());
        }
    }

    void html(String foundIn, String html) {
        if (html != null) {
            text(foundIn, decodeEntities(html));
        }
    }

    void attachment(Attachment attachment, boolean nameFromMessage) {
        String foundIn = "attachment:" + attachment.name();
        if (nameFromMessage) {
            add(ArtifactType.FILE_NAME, attachment.name(), foundIn);
        }
        add(ArtifactType.FILE_HASH_SHA256, attachment.sha256(), foundIn);
        add(ArtifactType.FILE_HASH_SHA1, attachment.sha1(), foundIn);
        add(ArtifactType.FILE_HASH_MD5, attachment.md5(), foundIn);
    }

    List<Artifact> artifacts() {
        return new ArrayList<>(found.values());
    }

    boolean capped() {
        return capped;
    }

    private boolean add(ArtifactType type, String value, String foundIn) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        String key = type + "\u0000" + value;
        if (found.containsKey(key)) {
            return true;
        }
        if (filter.drops(type, value)) {
            return false;
        }
        if (found.size() >= MAX_ARTIFACTS) {
            capped = true;
            return false;
        }
        found.put(key, new Artifact(type, value, foundIn));
        return true;
    }

    /** Sentence punctuation after a URL, and a closing bracket that has no opening one inside it. */
    static String trimTrailingPunctuation(String url) {
        String s = url;
        while (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            if (".,;:!?*".indexOf(last) >= 0) {
                s = s.substring(0, s.length() - 1);
            } else if (last == ')' && count(s, '(') < count(s, ')')) {
                s = s.substring(0, s.length() - 1);
            } else if (last == ']' && count(s, '[') < count(s, ']')) {
                s = s.substring(0, s.length() - 1);
            } else {
                break;
            }
        }
        return s;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /** Lower-case host of a URL, without user info, port or IPv6 brackets; null if there is none. */
    static String host(String url) {
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close > 0 ? authority.substring(1, close) : authority.substring(1);
        } else {
            int colon = authority.indexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    /**
     * A host name of at least two labels of letters, digits and hyphens (any script, for IDNs), the
     * last one at least two characters and not all digits.
     */
    static boolean isDomain(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty()
                    || label.length() > 63
                    || label.startsWith("-")
                    || label.endsWith("-")
                    || !label.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
                return false;
            }
        }
        String top = labels[labels.length - 1];
        return top.length() >= 2 && !top.chars().allMatch(Character::isDigit);
    }

    /** Textual IPv6 address check (RFC 4291 2.2), without touching the resolver. */
    static boolean isIpv6(String s) {
        if (s.equals("::") || s.indexOf(':') < 0) {
            return false;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return false; // two gaps, or ":::"
        }
        if (gap < 0) {
            return groups(s, true) == 8;
        }
        String left = s.substring(0, gap);
        String right = s.substring(gap + 2);
        int leftGroups = left.isEmpty() ? 0 : groups(left, false);
        int rightGroups = right.isEmpty() ? 0 : groups(right, true);
        return leftGroups >= 0 && rightGroups >= 0 && leftGroups + rightGroups <= 7;
    }

    /** Number of 16-bit groups in a colon-separated run, an IPv4 tail counting two; -1 if malformed. */
    private static int groups(String run, boolean mayEndInIpv4) {
        String[] parts = run.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && mayEndInIpv4 && part.indexOf('.') >= 0) {
                if (!IPV4.matcher(part).matches()) {
                    return -1;
                }
                groups += 2;
            } else if (part.length() >= 1
                    && part.length() <= 4
                    && part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                groups++;
            } else {
                return -1;
            }
        }
        return groups;
    }

    static String decodeEntities(String html) {
        if (html.indexOf('&') < 0) {
            return html;
        }
        Matcher m = ENTITY.matcher(html);
        StringBuilder out = new StringBuilder(html.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String entity(String name) {
        switch (name) {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            default:
                int codePoint = name.charAt(1) == 'x' || name.charAt(1) == 'X'
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(codePoint) && codePoint != 0
                        ? new String(Character.toChars(codePoint))
                        : " ";
        }
    }
}
