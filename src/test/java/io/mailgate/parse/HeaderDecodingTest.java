package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EncodedWords, CharsetFallback and EnvelopeFields: the pieces that turn header bytes into values. */
class HeaderDecodingTest {

    @Test
    void encodedWords() {
        assertThat(EncodedWords.decode("=?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?=")).isEqualTo("Café crème");
        assertThat(EncodedWords.decode("=?utf-8?b?w6k=?= =?utf-8?b?w6k=?="))
                .isEqualTo("éé"); // space between words dropped
        assertThat(EncodedWords.decode("Re: =?utf-8?q?=C3=A9?= ok")).isEqualTo("Re: é ok");
        // one UTF-8 character split across two words, as some mailers do
        assertThat(EncodedWords.decode("=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=")).isEqualTo("€");
        assertThat(EncodedWords.decode("=?iso-8859-1*fr?Q?=E9t=E9?=")).isEqualTo("été"); // RFC 2231 language
        assertThat(EncodedWords.decode("=?x-unknown?Q?plain?=")).isEqualTo("plain");
        assertThat(EncodedWords.decode("=?utf-8?B?@?=")).isEqualTo("=?utf-8?B?@?="); // damaged: kept as written
        assertThat(EncodedWords.decode("no words here")).isEqualTo("no words here");
        assertThat(EncodedWords.decode(null)).isNull();
    }

    @Test
    void charsetFallback() {
        byte[] utf8 = "Grüße".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "Grüße".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(CharsetFallback.decode(utf8, "us-ascii")).isEqualTo("Grüße");
        assertThat(CharsetFallback.decode(latin1, "utf-8")).isEqualTo("Grüße");
        assertThat(CharsetFallback.decode(utf8, "no-such-charset")).isEqualTo("Grüße");
        assertThat(CharsetFallback.decode(latin1, null)).isEqualTo("Grüße");
        assertThat(CharsetFallback.lookup("utf8")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(CharsetFallback.lookup("\"UTF-8\"")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(CharsetFallback.lookup("ks_c_5601-1987")).isNotNull();
        assertThat(CharsetFallback.lookup("%%%")).isNull();
    }

    @Test
    void messageIds() {
        assertThat(EnvelopeFields.firstMessageId(" <a@b> (comment) <c@d>")).isEqualTo("<a@b>");
        assertThat(EnvelopeFields.firstMessageId("<a@\r\n b>")).isEqualTo("<a@b>");
        assertThat(EnvelopeFields.firstMessageId("bare@host")).isEqualTo("<bare@host>");
        assertThat(EnvelopeFields.firstMessageId("  ")).isNull();
        assertThat(EnvelopeFields.messageIds("<a@b> <c@d>\t<a@b>")).containsExactly("<a@b>", "<c@d>");
    }

    @Test
    void addresses() {
        assertThat(EnvelopeFields.addresses(List.of("team: Ann <Ann@X.ORG>, bob@y.org;, \"Z\" <z@Z.Example>")))
                .containsExactly(
                        new EmailAddress("Ann", "Ann@x.org"),
                        new EmailAddress(null, "bob@y.org"),
                        new EmailAddress("Z", "z@z.example"));
        assertThat(EnvelopeFields.addresses(List.of("=?x-bogus?Q?Caf=C3=A9?= <cafe@example.com>")))
                .containsExactly(new EmailAddress("Café", "cafe@example.com"));
        assertThat(EnvelopeFields.addresses(List.of("\"unterminated <x@Example.com>")))
                .extracting(EmailAddress::address)
                .containsExactly("x@example.com");
        long start = System.nanoTime();
        int found = EnvelopeFields.addresses(List.of("\"" + "a".repeat(500_000) + "<@"))
                .size(); // hostile, only timed
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("%d addresses", found)
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void dates() {
        assertThat(EnvelopeFields.date("Thu, 26 Nov 2026 10:00:00 +0100"))
                .isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
        assertThat(EnvelopeFields.date("26 Nov 2026 10:00:00 EST")).isEqualTo(Instant.parse("2026-11-26T15:00:00Z"));
        assertThat(EnvelopeFields.date("yesterday")).isNull();
        assertThat(EnvelopeFields.date(null)).isNull();
    }
}
