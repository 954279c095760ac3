package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code .eml} in src/test/resources/emails is parsed and compared with the {@code .json} beside
 * it: envelope, body beginnings, attachments with hashes, artifacts with where they were found, and
 * attached messages, recursively.
 *
 * <p>To (re)write the expected files after a deliberate change, run this test with
 * {@code -Dgolden.update=true} and review the diff: the files are then written into the source tree.
 */
class GoldenCorpusTest {

    private static final Path SOURCE_DIR = Path.of("src/test/resources/emails");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final MimeParser parser = new MimeParser(ParseLimits.defaults());

    static Stream<String> corpus() throws IOException {
        Path dir = Fixtures.email("README.md").getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".eml"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void parsesAsExpected(String name) throws Exception {
        Path eml = Fixtures.email(name);
        ParsedEmail email = parser.parse(eml);

        // the raw bytes are described exactly, whatever the parse made of them
        byte[] raw = Files.readAllBytes(eml);
        assertThat(email.rawSize()).isEqualTo(raw.length);
        assertThat(email.rawSha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(raw)));

        String jsonName = name.substring(0, name.length() - ".eml".length()) + ".json";
        JsonNode actual = JSON.valueToTree(summary(email));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(
                    SOURCE_DIR.resolve(jsonName), JSON.writeValueAsString(actual) + "\n", StandardCharsets.UTF_8);
            return;
        }
        JsonNode expected = JSON.readTree(Files.readString(Fixtures.email(jsonName), StandardCharsets.UTF_8));
        assertThat(JSON.writeValueAsString(actual)).isEqualTo(JSON.writeValueAsString(expected));
    }

    static Map<String, Object> summary(ParsedEmail email) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", email.messageId());
        m.put("subject", email.subject());
        m.put("from", email.from() == null ? null : address(email.from()));
        m.put("to", email.to().stream().map(GoldenCorpusTest::address).toList());
        m.put("cc", email.cc().stream().map(GoldenCorpusTest::address).toList());
        m.put("replyTo", email.replyTo().stream().map(GoldenCorpusTest::address).toList());
        m.put("date", email.date() == null ? null : email.date().toString());
        m.put("headerCount", email.headers().size());
        m.put("textBody", start(email.textBody()));
        m.put("htmlBody", start(email.htmlBody()));
        m.put("truncated", email.truncated());
        List<String> attachments = new ArrayList<>();
        for (Attachment a : email.attachments()) {
            attachments.add(a.index() + " | " + a.name() + " | " + a.contentType() + " | " + a.size() + " | "
                    + (a.inline() ? "inline" : "attachment") + " | sha256 " + a.sha256());
        }
        m.put("attachments", attachments);
        List<String> artifacts = new ArrayList<>();
        for (Artifact a : email.artifacts()) {
            artifacts.add(a.type() + " | " + a.value() + " | " + a.foundIn());
        }
        m.put("artifacts", artifacts);
        List<Map<String, Object>> attached = new ArrayList<>();
        for (AttachedMessage a : email.attachedMessages()) {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("format", a.format().name());
            nested.put("foundIn", a.foundIn());
            nested.put("attachmentIndex", a.attachmentIndex());
            Map<String, Object> message = summary(a.message());
            message.remove("artifacts"); // already in the parent's list, with the prefix
            nested.put("message", message);
            attached.add(nested);
        }
        m.put("attachedMessages", attached);
        m.put(
                "reported",
                email.reported() == null
                        ? null
                        : email.reported().format() + " " + email.reported().foundIn());
        return m;
    }

    private static String address(EmailAddress a) {
        return a.name() == null ? a.address() : a.name() + " <" + a.address() + ">";
    }

    /** The first 200 characters, line ends shown: enough to see the charset and the text are right. */
    private static String start(String body) {
        if (body == null) {
            return null;
        }
        String s = body.length() > 200 ? body.substring(0, 200) + "…(" + body.length() + " chars)" : body;
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
