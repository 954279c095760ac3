package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArtifactExtractorTest {

    @Test
    void urlsLoseSentencePunctuationButKeepBalancedBrackets() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        extractor.text(
                "textBody",
                "See (https://a.example/x), https://en.wikipedia.example/wiki/Foo_(bar). "
                        + "And ftp://user:pw@FILES.Example:2121/f.zip! Also http://[2001:db8::7]:8080/p and http://10.1.2.3/.");

        assertThat(extractor.artifacts())
                .extracting(Artifact::type, Artifact::value)
                .containsExactly(
                        tuple(ArtifactType.URL, "https://a.example/x"),
                        tuple(ArtifactType.DOMAIN, "a.example"),
                        tuple(ArtifactType.URL, "https://en.wikipedia.example/wiki/Foo_(bar)"),
                        tuple(ArtifactType.DOMAIN, "en.wikipedia.example"),
                        tuple(ArtifactType.URL, "ftp://user:pw@FILES.Example:2121/f.zip"),
                        tuple(ArtifactType.DOMAIN, "files.example"),
                        tuple(ArtifactType.URL, "http://[2001:db8::7]:8080/p"),
                        tuple(ArtifactType.IP_ADDRESS, "2001:db8::7"),
                        tuple(ArtifactType.URL, "http://10.1.2.3/"),
                        tuple(ArtifactType.IP_ADDRESS, "10.1.2.3"),
                        tuple(
                                ArtifactType.EMAIL_ADDRESS,
                                "pw@files.example")); // user info looks like an address; harmless
    }

    @Test
    void ipAddressesWithoutVersionNumbersTimesOrMacs() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        extractor.text(
                "textBody",
                "hosts 192.168.1.1, 256.1.1.1, 1.2.3.4.5, fe80::1%eth0, ::ffff:192.0.2.1 "
                        + "at 10:30:45, mac 00:1a:2b:3c:4d:5e, class std::vector, 2001:0db8:0000:0000:0000:ff00:0042:8329");

        assertThat(extractor.artifacts())
                .extracting(Artifact::value)
                .containsExactly(
                        "192.168.1.1",
                        "192.0.2.1",
                        "fe80::1",
                        "::ffff:192.0.2.1",
                        "2001:0db8:0000:0000:0000:ff00:0042:8329");
    }

    @Test
    void htmlEntitiesAreDecodedBeforeMatching() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        extractor.html(
                "htmlBody",
                "<a href='https://x.example/?a=1&amp;b=2'>x</a><a href=http://y.example>y</a>"
                        + "&#104;ttp://z.example/");

        assertThat(extractor.artifacts())
                .filteredOn(a -> a.type() == ArtifactType.URL)
                .extracting(Artifact::value)
                .containsExactly("https://x.example/?a=1&b=2", "http://y.example", "http://z.example/");
    }

    @Test
    void deduplicatedByTypeAndValueKeepingTheFirstPlaceFound() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        extractor.addresses("From", List.of(new EmailAddress(null, "a@x.example")));
        extractor.text("textBody", "write to a@X.example or a@x.example");
        extractor.attachment(new Attachment(0, "f.pdf", "application/pdf", 1, "ab", "cd", "ef", false), true);
        extractor.attachment(
                new Attachment(1, "untitled-1.bin", "application/octet-stream", 1, "ab", "cd", "ef", false), false);

        assertThat(extractor.artifacts())
                .extracting(Artifact::type, Artifact::value, Artifact::foundIn)
                .containsExactly(
                        tuple(ArtifactType.EMAIL_ADDRESS, "a@x.example", "header:From"),
                        tuple(ArtifactType.FILE_NAME, "f.pdf", "attachment:f.pdf"),
                        tuple(ArtifactType.FILE_HASH_SHA256, "ab", "attachment:f.pdf"),
                        tuple(ArtifactType.FILE_HASH_SHA1, "cd", "attachment:f.pdf"),
                        tuple(ArtifactType.FILE_HASH_MD5, "ef", "attachment:f.pdf"));
    }

    @Test
    void hostileTextStaysLinear() {
        String hostile = "a".repeat(200_000) + "@" + "b.".repeat(100_000) + " " + "1.".repeat(100_000) + " "
                + ":".repeat(100_000) + " http://" + "x.".repeat(200_000) + " " + "ab:".repeat(50_000);
        ArtifactExtractor extractor = new ArtifactExtractor();
        long start = System.nanoTime();
        extractor.text("textBody", hostile);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void artifactsAreCapped() {
        ArtifactExtractor extractor = new ArtifactExtractor();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ArtifactExtractor.MAX_ARTIFACTS + 10; i++) {
            text.append("http://h").append(i).append(".example/ ");
        }
        extractor.text("textBody", text.toString());
        assertThat(extractor.artifacts()).hasSize(ArtifactExtractor.MAX_ARTIFACTS);
        assertThat(extractor.capped()).isTrue();
    }
}
