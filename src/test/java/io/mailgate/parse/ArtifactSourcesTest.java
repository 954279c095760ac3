package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Defanged and wrapped URLs, Received, Authentication-Results, and the organization filter. */
class ArtifactSourcesTest {

    private static List<String> urls(ArtifactExtractor extractor) {
        return extractor.artifacts().stream()
                .filter(a -> a.type() == ArtifactType.URL)
                .map(Artifact::value)
                .toList();
    }

    @Test
    void defangedIndicatorsAreRefanged() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        extractor.text(
                "textBody",
                "go to hxxps[:]//evil[.]example/a and hXXp://bad(.)example/b, mail boss[@]evil[dot]example;"
                        + " ip 198[.]51[.]100[.]9");

        assertThat(urls(extractor)).containsExactly("https://evil.example/a", "http://bad.example/b");
        assertThat(extractor.artifacts())
                .extracting(Artifact::type, Artifact::value)
                .contains(
                        tuple(ArtifactType.EMAIL_ADDRESS, "boss@evil.example"),
                        tuple(ArtifactType.IP_ADDRESS, "198.51.100.9"),
                        tuple(ArtifactType.DOMAIN, "evil.example"));
        assertThat(ArtifactExtractor.refang("a [b] (c) array[0]")).isEqualTo("a [b] (c) array[0]");
    }

    @Test
    void gatewayWrappersGiveOnlyTheTargetAndRedirectorsBoth() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        extractor.html(
                "htmlBody",
                "<a href=\"https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fa.example%2Fx%3Fy%3D1&amp;data=05\">"
                        + "<a href=\"https://urldefense.proofpoint.com/v2/url?u=http-3A__b.example_p-3Fq-3D2&d=x\">"
                        + "<a href=\"https://urldefense.com/v3/__https://c.example/z__;!!abc$\">"
                        + "<a href=\"https://www.google.com/url?q=https://d.example/&sa=D\">"
                        + "<a href=\"https://e.example/?url=not-a-url\">");

        assertThat(urls(extractor))
                .containsExactly(
                        "https://a.example/x?y=1",
                        "http://b.example/p?q=2",
                        "https://c.example/z",
                        "https://www.google.com/url?q=https://d.example/&sa=D",
                        "https://d.example/",
                        "https://e.example/?url=not-a-url");
        assertThat(extractor.artifacts())
                .extracting(Artifact::value)
                .doesNotContain("eur02.safelinks.protection.outlook.com", "urldefense.proofpoint.com");
    }

    @Test
    void originatingIpIsTheOldestPublicFromAddressTheFilterKeeps() {
        List<String> received = List.of(
                "from relay.corp.example (relay.corp.example [10.1.2.3]) by mx.corp.example",
                "from gw.corp.example (gw.corp.example [203.0.113.1]) by relay.corp.example",
                "from client.bad.example (unknown [198.51.100.200]) by gw.corp.example",
                "from localhost (localhost [127.0.0.1]) by client.bad.example");
        ArtifactExtractor all = new ArtifactExtractor();
        all.received(received);
        assertThat(all.artifacts())
                .containsExactly(new Artifact(ArtifactType.ORIGINATING_IP, "198.51.100.200", "header:Received"));

        ArtifactExtractor ours = new ArtifactExtractor(ArtifactFilter.of(List.of(), List.of("198.51.100.0/24")));
        ours.received(received);
        assertThat(ours.artifacts()).extracting(Artifact::value).containsExactly("203.0.113.1");

        ArtifactExtractor v6 = new ArtifactExtractor();
        v6.received(List.of("from mail.bad.example (mail.bad.example [IPv6:2001:db8::25]) by mx.example.com"));
        assertThat(v6.artifacts()).extracting(Artifact::value).containsExactly("2001:db8::25");
    }

    @Test
    void authenticationResultsWithoutComments() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        extractor.authenticationResults(
                List.of(
                        "mx.example.com; spf=fail (sender IP is 192.0.2.1) smtp.mailfrom=bad.example;"
                                + " dkim=pass (1024-bit key) header.d=bad.example header.s=s1; dmarc=fail (p=REJECT) header.from=bank.example;"
                                + " arc=none",
                        "spf=pass (sender IP is 192.0.2.2) smtp.mailfrom=x.example; dmarc=bestguesspass action=none header.from=x.example"));

        assertThat(extractor.artifacts())
                .extracting(Artifact::value)
                .containsExactly(
                        "spf=fail smtp.mailfrom=bad.example",
                        "dkim=pass header.d=bad.example header.s=s1",
                        "dmarc=fail header.from=bank.example",
                        "spf=pass smtp.mailfrom=x.example",
                        "dmarc=bestguesspass action=none header.from=x.example");
    }

    @Test
    void filterMatchesSubdomainsAndCidrRanges() {
        ArtifactFilter filter = ArtifactFilter.of(
                List.of("*.Corp.Example", "example.net"), List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

        assertThat(filter.drops(new Artifact(ArtifactType.DOMAIN, "mail.corp.example", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.DOMAIN, "corp.example", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.DOMAIN, "notcorp.example", "x")))
                .isFalse();
        assertThat(filter.drops(new Artifact(ArtifactType.EMAIL_ADDRESS, "Jo@Example.net", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.URL, "https://www.example.net/a", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.URL, "http://10.9.8.7/a", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.IP_ADDRESS, "10.255.0.1", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.IP_ADDRESS, "11.0.0.1", "x")))
                .isFalse();
        assertThat(filter.drops(new Artifact(ArtifactType.IP_ADDRESS, "192.168.1.7", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.IP_ADDRESS, "192.168.1.8", "x")))
                .isFalse();
        assertThat(filter.drops(new Artifact(ArtifactType.ORIGINATING_IP, "fd12:3456::1", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.IP_ADDRESS, "2001:db8::1", "x")))
                .isFalse();
        assertThat(filter.drops(new Artifact(ArtifactType.IP_ADDRESS, "::ffff:10.0.0.1", "x")))
                .isTrue();
        assertThat(filter.drops(new Artifact(ArtifactType.FILE_HASH_MD5, "corp.example", "x")))
                .isFalse();
        assertThat(ArtifactFilter.none().drops(new Artifact(ArtifactType.DOMAIN, "corp.example", "x")))
                .isFalse();
        assertThat(filter.domains()).containsExactlyInAnyOrder("corp.example", "example.net");

        assertThatThrownBy(() -> ArtifactFilter.of(List.of(), List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactFilter.of(List.of(), List.of("intranet")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inlineForwardFromOutlookWebWithUnderscoreRule() {
        Draft forwarded =
                InlineForwards.find("FYI\n\n________________________________\nFrom: Bad Actor <bad@evil.example>\n"
                        + "Sent: Monday, November 23, 2026 10:00\nTo: me@example.com; Doe, Jane <jane@example.com>\nSubject: Gift card\n\n"
                        + "Buy gift cards now.");
        assertThat(forwarded).isNotNull();
        assertThat(forwarded.from).containsExactly(new EmailAddress("Bad Actor", "bad@evil.example"));
        assertThat(forwarded.to)
                .extracting(EmailAddress::address)
                .containsExactly("me@example.com", "jane@example.com");
        assertThat(forwarded.subject).isEqualTo("Gift card");
        assertThat(forwarded.textBody).isEqualTo("Buy gift cards now.");

        assertThat(InlineForwards.find("no forward here\n-----Original Message-----\njust text"))
                .isNull();
    }
}
