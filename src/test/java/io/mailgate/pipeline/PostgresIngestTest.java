package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.incident.ChangeFeedOrder;
import io.mailgate.incident.ChangeSequencer;
import io.mailgate.ingest.RawContentStore;
import io.mailgate.testing.IngestTestSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same pipeline on PostgreSQL: Flyway's migrations (including where raw messages are stored: in their row, or as large objects),
 * the repositories, and the change feed. CI starts PostgreSQL and sets MAILGATE_TEST_POSTGRES_INGEST_URL; a
 * developer without PostgreSQL skips this class, CI never does.
 */
class PostgresIngestTest extends IngestTestSupport {

    /** Its own database: the system tests bootstrap another admin in MAILGATE_TEST_POSTGRES_URL's. */
    static final String URL = System.getenv("MAILGATE_TEST_POSTGRES_INGEST_URL");

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void requirePostgres() {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(URL)
                    .as("CI must provide PostgreSQL (MAILGATE_TEST_POSTGRES_INGEST_URL)")
                    .isNotBlank();
        }
        assumeThat(URL).as("MAILGATE_TEST_POSTGRES_INGEST_URL").isNotBlank();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        registry.add(
                "spring.datasource.username",
                () -> System.getenv().getOrDefault("MAILGATE_TEST_POSTGRES_USER", "mailgate"));
        registry.add(
                "spring.datasource.password",
                () -> System.getenv().getOrDefault("MAILGATE_TEST_POSTGRES_PASSWORD", ""));
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    ChangeSequencer sequencer;

    @Test
    void theChangeFeedNeverSkipsAChangeThatCommitsLater() throws Exception {
        // PostgreSQL's row locks and SKIP LOCKED, where the cluster runs (issue 15.6); see ChangeFeedOrder
        var pages = ChangeFeedOrder.laterStartedTransactionCommitsFirst(dataSource, sequencer);
        assertThat(pages.get(1).get(0).position())
                .isGreaterThan(pages.get(0).get(pages.get(0).size() - 1).position());
    }

    @Test
    void runsOnPostgresql() {
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
        assertThat(jdbc.queryForObject(
                        "SELECT data_type FROM information_schema.columns "
                                + "WHERE table_name = 'raw_content' AND column_name = 'content'",
                        String.class))
                .isEqualTo("oid");
    }

    @Test
    void aLargeMessageIsStoredAsALargeObjectAndComesBackByteForByte() throws Exception {
        // over RawContentStore.POSTGRES_ONE_PARAMETER_MAX once encoded: written through the driver's Blob API
        Stored stored = storesAndReturnsByteForByte(6 * 1024 * 1024);
        assertThat((long) stored.raw().length).isGreaterThan(RawContentStore.POSTGRES_ONE_PARAMETER_MAX);
        assertThat(stored.where()).isEqualTo("large object");
    }

    @Test
    void aMessageOverTheInlineLimitIsStoredAsALargeObjectInOneStatementAndComesBackByteForByte() throws Exception {
        // between the two limits: one bytea parameter, made a large object by lo_from_bytea
        Stored stored = storesAndReturnsByteForByte(2 * 1024 * 1024);
        assertThat((long) stored.raw().length)
                .isGreaterThan(RawContentStore.POSTGRES_INLINE_MAX)
                .isLessThanOrEqualTo(RawContentStore.POSTGRES_ONE_PARAMETER_MAX);
        assertThat(stored.where()).isEqualTo("large object");
    }

    @Test
    void aMessageOfUsualSizeIsStoredInItsRowUncompressedAndComesBackByteForByte() throws Exception {
        // up to RawContentStore.POSTGRES_INLINE_MAX: a bytea value in the row, never compressed (STORAGE EXTERNAL)
        Stored stored = storesAndReturnsByteForByte(100 * 1024);
        assertThat((long) stored.raw().length).isLessThanOrEqualTo(RawContentStore.POSTGRES_INLINE_MAX);
        assertThat(stored.where()).isEqualTo("row");
        assertThat(jdbc.queryForObject(
                        "SELECT a.attstorage FROM pg_attribute a WHERE a.attrelid = 'raw_content'::regclass"
                                + " AND a.attname = 'inline_content'",
                        String.class))
                .isEqualTo("e");
    }

    @Test
    void deletingARawMessageFreesItsLargeObjectAndLeavesAnInlineOneAlone() {
        long inline = jdbc.queryForObject(
                "INSERT INTO raw_content (size, sha256, inline_content) VALUES (1, 'x', '\\x41') RETURNING id",
                Long.class);
        long large = jdbc.queryForObject(
                "INSERT INTO raw_content (size, sha256, content) VALUES (1, 'y', lo_from_bytea(0, '\\x42'))"
                        + " RETURNING id",
                Long.class);
        long object = jdbc.queryForObject("SELECT content FROM raw_content WHERE id = ?", Long.class, large);
        jdbc.update("DELETE FROM raw_content WHERE id IN (?, ?)", inline, large);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pg_largeobject_metadata WHERE oid = ?", Long.class, object))
                .isZero();
    }

    @Test
    void aRawMessageIsInExactlyOnePlace() {
        assertThatThrownBy(() -> jdbc.update("INSERT INTO raw_content (size, sha256) VALUES (1, 'z')"))
                .hasMessageContaining("raw_content_in_one_place");
        assertThatThrownBy(() -> jdbc.update("INSERT INTO raw_content (size, sha256, content, inline_content)"
                        + " VALUES (1, 'z', lo_from_bytea(0, '\\x41'), '\\x41')"))
                .hasMessageContaining("raw_content_in_one_place");
    }

    private record Stored(byte[] raw, String where) {}

    /** Returns the raw message as downloaded and where its bytes are, so that a caller can say which way it was written. */
    private Stored storesAndReturnsByteForByte(int payloadSize) throws Exception {
        Mailbox mailbox = mailbox();
        byte[] payload = new byte[payloadSize];
        new Random(42).nextBytes(payload);
        String raw = "From: reporter@example.org\r\nTo: soc@example.test\r\nSubject: Big sample\r\n"
                + "Message-ID: " + newMessageId() + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                + "see attachment\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"sample.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(payload) + "\r\n--b1--\r\n";
        deliver(mailbox, raw);
        String connection = createImapConnection(mailbox);

        JsonNode message = awaitMessages(connection, 1).get(0);
        byte[] downloaded = download(
                "/api/v1/orgs/default/email-messages/" + message.get("id").asLong() + "/raw");
        assertThat(sha256(downloaded)).isEqualTo(message.get("sha256").asText());
        assertThat(new String(downloaded, StandardCharsets.US_ASCII)).contains("Subject: Big sample");
        JsonNode attachment = message.get("attachments").get(0);
        assertThat(attachment.get("sha256").asText()).isEqualTo(sha256(payload));
        byte[] file = download(
                "/api/v1/orgs/default/email-messages/" + message.get("id").asLong() + "/attachments/"
                        + attachment.get("index").asInt());
        assertThat(file).isEqualTo(payload);
        String where = jdbc.queryForObject(
                "SELECT CASE WHEN r.inline_content IS NOT NULL THEN 'row' WHEN r.content IS NOT NULL"
                        + " THEN 'large object' END FROM raw_content r JOIN email_messages m ON m.raw_content_id = r.id"
                        + " WHERE m.id = ?",
                String.class,
                message.get("id").asLong());
        return new Stored(downloaded, where);
    }

    @Test
    void threadingAndQuarantineWorkOnPostgresql() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        String original = newMessageId();
        deliver(mailbox, message(original, "Original on PG", "x"));
        long incident = awaitMessages(connection, 1).get(0).get("incidentId").asLong();
        deliver(mailbox, message(newMessageId(), "Re: Original on PG", "y", "In-Reply-To: " + original));
        assertThat(awaitMessages(connection, 2).get(1).get("incidentId").asLong())
                .isEqualTo(incident);

        deliver(mailbox, nestingBomb());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(3));
        assertThat(status(connection).get("messagesQuarantined").asLong()).isEqualTo(1);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
