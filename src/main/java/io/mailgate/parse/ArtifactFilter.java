package io.mailgate.parse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Artifacts an organization does not want to see: its own domains (and their subdomains) and its
 * internal address ranges. The parser knows no organization; the caller passes one of these to
 * {@link MimeParser#parse(java.nio.file.Path, ArtifactFilter)}.
 *
 * <p>Drops DOMAIN artifacts in a listed domain, URLs whose host is in one (or in a listed range),
 * EMAIL_ADDRESS artifacts at one, and IP_ADDRESS / ORIGINATING_IP artifacts in a listed range.
 * Hashes, file names and authentication results are never dropped. Immutable and thread-safe.
 */
public final class ArtifactFilter {

    private static final ArtifactFilter NONE = new ArtifactFilter(Set.of(), List.of());

    private final Set<String> domains;
    private final List<String> cidrRanges;
    private final List<Cidr> parsed;

    private ArtifactFilter(Set<String> domains, List<String> cidrRanges) {
        this.domains = domains;
        this.cidrRanges = cidrRanges;
        List<Cidr> list = new ArrayList<>(cidrRanges.size());
        for (String range : cidrRanges) {
            list.add(Cidr.parse(range));
        }
        this.parsed = List.copyOf(list);
    }

    /** Keeps every artifact. */
    public static ArtifactFilter none() {
        return NONE;
    }

    /**
     * @param domains    domains to drop, with their subdomains ({@code example.com} also drops
     *                   {@code mail.example.com}); case-insensitive, a leading dot or {@code *.} is ignored
     * @param cidrRanges IPv4 or IPv6 ranges such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare
     *                   address is a single-address range
     * @throws IllegalArgumentException if a range is not a valid CIDR
     */
    public static ArtifactFilter of(Collection<String> domains, Collection<String> cidrRanges) {
        Set<String> cleanDomains = new LinkedHashSet<>();
        for (String domain : domains) {
            String d = domain.strip().toLowerCase(Locale.ROOT);
            if (d.startsWith("*.")) {
                d = d.substring(2);
            }
            while (d.startsWith(".")) {
                d = d.substring(1);
            }
            if (!d.isEmpty()) {
                cleanDomains.add(d);
            }
        }
        List<String> cleanRanges = new ArrayList<>();
        for (String range : cidrRanges) {
            if (!range.isBlank()) {
                cleanRanges.add(range.strip());
            }
        }
        return new ArtifactFilter(Set.copyOf(cleanDomains), List.copyOf(cleanRanges));
    }

    public Set<String> domains() {
        return domains;
    }

    public List<String> cidrRanges() {
        return cidrRanges;
    }

    /** Whether this artifact is noise for the organization. */
    public boolean drops(Artifact artifact) {
        return drops(artifact.type(), artifact.value());
    }

    boolean drops(ArtifactType type, String value) {
        if (this == NONE || value == null) {
            return false;
        }
        switch (type) {
            case DOMAIN:
                return inDomains(value);
            case EMAIL_ADDRESS:
                return inDomains(value.substring(value.lastIndexOf('@') + 1));
            case URL: {
                String host = ArtifactExtractor.host(value);
                return host != null && (inDomains(host) || inRanges(host));
            }
            case IP_ADDRESS:
            case ORIGINATING_IP:
                return inRanges(value);
            default:
                return false;
        }
    }

    boolean inDomains(String host) {
        if (domains.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        while (true) {
            if (domains.contains(h)) {
                return true;
            }
            int dot = h.indexOf('.');
            if (dot < 0) {
                return false;
            }
            h = h.substring(dot + 1);
        }
    }

    boolean inRanges(String address) {
        if (parsed.isEmpty()) {
            return false;
        }
        byte[] bytes = IpAddresses.parse(address);
        if (bytes == null) {
            return false;
        }
        for (Cidr cidr : parsed) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactFilter other
                && domains.equals(other.domains)
                && cidrRanges.equals(other.cidrRanges);
    }

    @Override
    public int hashCode() {
        return domains.hashCode() * 31 + cidrRanges.hashCode();
    }

    @Override
    public String toString() {
        return "ArtifactFilter[domains=" + domains + ", cidrRanges=" + cidrRanges + "]";
    }

    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String range) {
            int slash = range.indexOf('/');
            String address = slash < 0 ? range : range.substring(0, slash);
            byte[] bytes = IpAddresses.parse(address);
            if (bytes == null) {
                throw new IllegalArgumentException("not an IP range: " + range);
            }
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(range.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IP range: " + range, e);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("not an IP range: " + range);
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
