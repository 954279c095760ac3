package io.mailgate.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Decides whether a certificate names a host, following the rules TLS clients use (RFC 6125, as the JDK's
 * HTTPS endpoint identification does): an IP address matches only an iPAddress subject alternative name; a
 * host name matches the dNSName entries, or the most specific CN when there is no dNSName at all. A wildcard
 * may only be the whole left-most label and never covers a dot. The JDK's own checker is internal API, which
 * is why this small copy of its rules exists: it only explains a failure, JSSE still does the real check.
 */
public final class HostnameMatcher {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {}

    public static boolean matches(X509Certificate certificate, String host) {
        String wanted = normalize(host);
        if (isIpLiteral(wanted)) {
            InetAddress address = literal(wanted);
            return address != null
                    && sans(certificate, SAN_IP).stream()
                            .map(HostnameMatcher::literal)
                            .anyMatch(address::equals);
        }
        List<String> dnsNames = sans(certificate, SAN_DNS);
        Collection<String> candidates = dnsNames.isEmpty() ? mostSpecificCommonName(certificate) : dnsNames;
        return candidates.stream().anyMatch(pattern -> matchesPattern(normalize(pattern), wanted));
    }

    /** The names a certificate is valid for, for a message such as "is for mail.example.com, not for ...". */
    public static List<String> namesOf(X509Certificate certificate) {
        List<String> names = new ArrayList<>(sans(certificate, SAN_DNS));
        names.addAll(sans(certificate, SAN_IP));
        return names.isEmpty() ? mostSpecificCommonName(certificate) : names;
    }

    static boolean matchesPattern(String pattern, String host) {
        if (pattern.isEmpty() || host.isEmpty()) {
            return false;
        }
        if (!pattern.startsWith("*.")) {
            return pattern.equals(host);
        }
        String suffix = pattern.substring(1); // ".example.com"
        // "*.com" would cover a whole top-level domain: refuse wildcards with fewer than two fixed labels.
        if (suffix.indexOf('.', 1) < 0 || suffix.contains("*")) {
            return false;
        }
        if (!host.endsWith(suffix)) {
            return false;
        }
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && !label.contains(".");
    }

    private static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        while (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** Parses an IP literal; never a DNS query, because callers only pass literals here. */
    private static InetAddress literal(String ip) {
        if (!isIpLiteral(normalize(ip))) {
            return null;
        }
        try {
            return InetAddress.getByName(normalize(ip));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static List<String> sans(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            if (all == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (List<?> entry : all) {
                if (entry.size() >= 2
                        && entry.get(0) instanceof Integer t
                        && t == type
                        && entry.get(1) instanceof String value) {
                    names.add(value);
                }
            }
            return names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static List<String> mostSpecificCommonName(X509Certificate certificate) {
        try {
            // LdapName lists RDNs from the least to the most specific, so the last CN is the one that counts.
            String cn = null;
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    cn = rdn.getValue().toString();
                }
            }
            return cn == null ? List.of() : List.of(cn);
        } catch (InvalidNameException e) {
            return List.of();
        }
    }
}
