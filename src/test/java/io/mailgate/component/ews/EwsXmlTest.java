package io.mailgate.component.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EwsXmlTest {

    private static EwsResponse parse(String xml) {
        return EwsXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsFindItemIdsAndPaging() {
        String xml = EwsSimulator.template("find-item-response.xml")
                .replace(
                        "{{items}}",
                        "<t:Message><t:ItemId Id=\"AAMkA1\" ChangeKey=\"CQA1\"/></t:Message>"
                                + "<t:MeetingRequest><t:ItemId Id=\"AAMkA2\" ChangeKey=\"CQA2\"/></t:MeetingRequest>")
                .replace("{{total}}", "7")
                .replace("{{nextOffset}}", "2")
                .replace("{{includesLast}}", "false");

        EwsResponse response = parse(xml).orThrow("FindItem", Duration.ZERO);

        assertThat(response.items).containsExactly(new EwsItem("AAMkA1", "CQA1"), new EwsItem("AAMkA2", "CQA2"));
        assertThat(response.totalItemsInView).isEqualTo(7);
        assertThat(response.includesLastItemInRange).isFalse();
    }

    @Test
    void serverBusyFaultCarriesBackOffMilliseconds() {
        String xml = EwsSimulator.template("error-server-busy-fault.xml").replace("{{backOff}}", "297749");

        assertThatThrownBy(() -> parse(xml).orThrow("FindItem", Duration.ofSeconds(60)))
                .isInstanceOfSatisfying(EwsException.class, e -> {
                    assertThat(e.code()).isEqualTo(EwsException.Code.THROTTLED);
                    assertThat(e.ewsResponseCode()).isEqualTo("ErrorServerBusy");
                    assertThat(e.backOff()).isEqualTo(Duration.ofMillis(297749));
                    assertThat(e.getMessage()).contains("The server cannot service this request right now");
                });
    }

    @Test
    void errorResponseMessageIsTyped() {
        String xml = EwsSimulator.template("error-response.xml")
                .replace("{{operation}}", "FindFolder")
                .replace("{{code}}", "ErrorFolderNotFound")
                .replace("{{text}}", "The specified folder could not be found in the store.");

        assertThatThrownBy(() -> parse(xml).orThrow("FindFolder", Duration.ZERO))
                .isInstanceOfSatisfying(
                        EwsException.class, e -> assertThat(e.code()).isEqualTo(EwsException.Code.FOLDER_NOT_FOUND));
    }

    @Test
    void mimeContentIsDecodedIntoTheSink() {
        byte[] mime = "Subject: hi\r\n\r\nh\u00e9llo".getBytes(StandardCharsets.UTF_8);
        // Exchange may wrap base64; whitespace inside must not matter.
        String base64 = Base64.getMimeEncoder(8, "\r\n".getBytes()).encodeToString(mime);
        String xml = EwsSimulator.template("get-item-response.xml")
                .replace("{{mime}}", base64)
                .replace("{{id}}", "AAMk")
                .replace("{{changeKey}}", "CQ");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        EwsResponse response = EwsXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), sink, 1000);

        assertThat(response.hasMime).isTrue();
        assertThat(sink.toByteArray()).isEqualTo(mime);
        assertThat(response.mimeBytes).isEqualTo(mime.length);
    }

    @Test
    void mimeContentOverTheLimitIsRefused() {
        String xml = EwsSimulator.template("get-item-response.xml")
                .replace("{{mime}}", Base64.getEncoder().encodeToString(new byte[100_000]))
                .replace("{{id}}", "AAMk")
                .replace("{{changeKey}}", "CQ");

        assertThatThrownBy(() -> EwsXml.parse(
                        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                        OutputStreamSink.discard(),
                        10_000))
                .isInstanceOfSatisfying(
                        EwsException.class, e -> assertThat(e.code()).isEqualTo(EwsException.Code.MESSAGE_TOO_LARGE));
    }

    @Test
    void externalEntityIsRefusedAndTheFileIsNotRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xml = EwsSimulator.template("xxe-find-item-response.xml")
                .replace("{{target}}", secret.toUri().toString());

        assertThatThrownBy(() -> parse(xml)).isInstanceOfSatisfying(EwsException.class, e -> {
            assertThat(e.code()).isEqualTo(EwsException.Code.PROTOCOL_ERROR);
            assertThat(e.getMessage()).doesNotContain("TOP-SECRET");
        });
    }

    @Test
    void entityExpansionBombIsRefused() {
        assertThatThrownBy(() -> parse(EwsSimulator.template("billion-laughs-response.xml")))
                .isInstanceOfSatisfying(
                        EwsException.class, e -> assertThat(e.code()).isEqualTo(EwsException.Code.PROTOCOL_ERROR));
    }

    @Test
    void hugeTextOutsideMimeContentIsRefused() {
        String xml = EwsSimulator.template("error-response.xml")
                .replace("{{operation}}", "FindItem")
                .replace("{{code}}", "ErrorInternalServerError")
                .replace("{{text}}", "x".repeat(EwsXml.MAX_TEXT + 1));

        assertThatThrownBy(() -> parse(xml))
                .isInstanceOfSatisfying(
                        EwsException.class, e -> assertThat(e.getMessage()).contains("longer than"));
    }

    @Test
    void deepNestingIsRefused() {
        String xml = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">" + "<a>".repeat(200)
                + "</a>".repeat(200) + "</s:Envelope>";

        assertThatThrownBy(() -> parse(xml)).isInstanceOf(EwsException.class);
    }

    @Test
    void anHtmlErrorPageIsAProtocolError() {
        assertThatThrownBy(() -> parse("<html><body>Proxy error</body></html>"))
                .isInstanceOfSatisfying(
                        EwsException.class, e -> assertThat(e.code()).isEqualTo(EwsException.Code.PROTOCOL_ERROR));
    }

    @Test
    void responsesLargerThanTheBoundStopReading() throws IOException {
        var in = EwsClient.bounded(new ByteArrayInputStream(new byte[2000]), 1000);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(EwsException.class).hasMessageContaining("larger than 1000");
        assertThat(EwsClient.bounded(new ByteArrayInputStream(new byte[1000]), 1000)
                        .readAllBytes())
                .hasSize(1000);
        var oneTooMany = EwsClient.bounded(new ByteArrayInputStream(new byte[1001]), 1000);
        assertThatThrownBy(oneTooMany::readAllBytes).isInstanceOf(EwsException.class);
    }

    /** An OutputStream that counts nothing and keeps nothing. */
    private static final class OutputStreamSink {
        static OutputStream discard() {
            return OutputStream.nullOutputStream();
        }
    }
}
