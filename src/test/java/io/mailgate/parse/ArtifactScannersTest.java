package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The anchored scanners of {@link ArtifactExtractor} (which try a pattern only where a match can start) find
 * exactly what find() over the whole text finds, on many random texts made of the fragments that matter.
 */
class ArtifactScannersTest {

    private static final String[] FRAGMENTS = {
        "http://",
        "https://",
        "ftp://",
        "ftps://",
        "hTTps://",
        "xhttp://",
        "://",
        ":",
        "::",
        "::1",
        "fe80::1",
        "2001:db8::",
        "1.2.3.4",
        "10.0.0.255",
        "256.1.1.1",
        "1234.5.6.7",
        "9.",
        ".",
        "-",
        "@",
        "a@b.example",
        "x.y@",
        "@@",
        "bad.example",
        "deadbeef",
        "abc",
        "g",
        "_",
        "%",
        "+",
        " ",
        "\n",
        "<",
        ">",
        "\"",
        "?u=",
        "&url=",
        "https://w.example/?url=https://t.example/x",
        "[.]",
        "(dot)",
        "hxxp",
        "[:]",
        "a:b:c:d:e:f:1:2",
        "0123456789"
    };

    @Test
    void anchoredScannersFindWhatFindFinds() {
        eachRandomText(15, 20_000, FRAGMENTS, 12, t -> {
            same(t, ArtifactExtractor.URL, ArtifactExtractor::eachUrl, false);
            same(t, ArtifactExtractor.IPV6_CANDIDATE, ArtifactExtractor::eachIpv6Candidate, true);
            same(t, ArtifactExtractor.EMAIL, ArtifactExtractor::eachEmail, false);
            same(t, ArtifactExtractor.IPV4, ArtifactExtractor::eachIpv4, false);
        });
    }

    @Test
    void refangFindsTheSameDefangedFormsAsBefore() {
        eachRandomText(16, 20_000, FRAGMENTS, 10, t -> {
            Matcher m = ArtifactExtractor.DEFANGED.matcher(t);
            boolean defanged = m.find();
            // every defanged form is replaced by something else, so the text changes exactly when one is found
            assertThat(ArtifactExtractor.refang(t).equals(t)).as(t).isEqualTo(!defanged);
        });
    }

    /** Pieces of defanged forms and of text that only looks like them, in both cases, Latin-1 or not. */
    private static final String[] DEFANG_FRAGMENTS = {
        "h",
        "H",
        "x",
        "X",
        "xx",
        "hxxp",
        "hXxPs",
        "HXXPS",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        ".",
        ":",
        "@",
        "://",
        "dot",
        "DOT",
        "at",
        "AT",
        "a",
        "d",
        " ",
        "[.]",
        "[dot]",
        "(.)",
        "(dot)",
        "{.}",
        "[@]",
        "[at]",
        "[:]",
        "[://]",
        "hxxps[:]//",
        "array[0]",
        "\u20ac",
        "\u0445"
    };

    @Test
    void refangReplacesExactlyWhatThePatternFindsFromTheStart() {
        eachRandomText(
                17,
                50_000,
                DEFANG_FRAGMENTS,
                12,
                t -> assertThat(ArtifactExtractor.refang(t)).as(t).isEqualTo(ArtifactExtractor.refangFrom(t, 0)));
    }

    /**
     * Checks {@code count} texts of one to {@code maxParts} fragments picked at random (the same texts for the same
     * seed).
     */
    private static void eachRandomText(long seed, int count, String[] fragments, int maxParts, Consumer<String> check) {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + random.nextInt(maxParts);
            for (int p = 0; p < parts; p++) {
                text.append(fragments[random.nextInt(fragments.length)]);
            }
            check.accept(text.toString());
        }
    }

    private static void same(
            String text, Pattern pattern, BiConsumer<String, Consumer<MatchResult>> scanner, boolean onlyWithColon) {
        List<String> expected = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            if (!onlyWithColon || m.group().indexOf(':') >= 0) {
                expected.add(m.start() + ":" + m.group());
            }
        }
        List<String> actual = new ArrayList<>();
        scanner.accept(text, r -> {
            if (!onlyWithColon || r.group().indexOf(':') >= 0) {
                actual.add(r.start() + ":" + r.group());
            }
        });
        assertThat(actual).as("%s in %s", pattern, text).isEqualTo(expected);
    }
}
