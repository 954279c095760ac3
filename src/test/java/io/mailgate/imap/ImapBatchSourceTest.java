package io.mailgate.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.store.StoredMessage;
import io.mailgate.parse.ParsedEmail;
import io.mailgate.testing.IngestTestSupport;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/** The batch IMAP source: few commands for many messages, \Seen only for what was committed, drained at once. */
class ImapBatchSourceTest extends IngestTestSupport {

    /** A message whose subject contains this fails in the pipeline (not quarantined): it must stay unseen. */
    private static final String FAIL_TOKEN = "fail-in-pipeline-7c1e";

    private static volatile boolean advised;

    @Autowired
    CamelContext camel;

    @Test
    void aBatchIsFetchedWithOneCommandAndOnlyCommittedMessagesAreMarkedSeenWithOneStore() throws Exception {
        failMessagesWithTheToken();
        Mailbox mailbox = mailbox();
        for (int i = 1; i <= 10; i++) {
            deliver(mailbox, message(newMessageId(), i == 5 ? "Number 5 " + FAIL_TOKEN : "Number " + i, "x"));
        }
        try (ImapCommandRecorder recorder =
                new ImapCommandRecorder(MAIL.getImap().getPort())) {
            Map<String, Object> request = imapConnection(unique("batch"), mailbox, mailbox.password());
            ((Map<String, Object>) request.get("imap")).put("port", recorder.port());
            String connection = createConnection(request);

            awaitMessages(connection, 9);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(9));
            StoredMessage failed = inbox(mailbox).stream()
                    .filter(m -> subject(m).contains(FAIL_TOKEN))
                    .findFirst()
                    .orElseThrow();
            assertThat(failed.getFlags().contains(Flags.Flag.SEEN))
                    .as("the failed message stays unseen")
                    .isFalse();

            List<String> commands = recorder.commands();
            // One FETCH brought all ten bodies, and one STORE marked the nine committed ones.
            assertThat(commands).anyMatch(c -> c.matches("\\S+ UID FETCH 1:10 \\(UID BODY\\.PEEK\\[\\]\\)"));
            assertThat(commands).anyMatch(c -> c.matches("\\S+ UID STORE 1:4,6:10 \\+FLAGS\\.SILENT \\(\\\\Seen\\)"));
            assertThat(storedUids(commands)).doesNotContain(5L);
            // No per-message round trips for flags, envelopes or UIDs.
            assertThat(commands)
                    .noneMatch(c ->
                            c.contains("FLAGS)") || c.contains("ENVELOPE") || c.matches("\\S+ FETCH \\d+ \\(UID\\)"));
            // The failed one is retried at a later poll, alone, and still not marked.
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(recorder.commands())
                            .anyMatch(c -> c.matches("\\S+ UID FETCH 5 \\(UID BODY\\.PEEK\\[\\]\\)")));
            assertThat(inbox(mailbox).stream()
                            .filter(m -> m.getFlags().contains(Flags.Flag.SEEN))
                            .count())
                    .isEqualTo(9);
            assertThat(messages(connection)).hasSize(9);
            remove(connection);
        }
    }

    @Test
    void aPollDrainsMoreThanMaxMessagesPerPollWithoutWaitingForTheNextPollOrForItsOwnPreviousRound() throws Exception {
        Mailbox mailbox = mailbox();
        int count = 130; // more than mailgate.routes.max-messages-per-poll (100)
        for (int i = 0; i < count; i++) {
            deliver(mailbox, message(newMessageId(), "Backlog " + i, "x"));
        }
        try (ImapCommandRecorder recorder =
                new ImapCommandRecorder(MAIL.getImap().getPort())) {
            Map<String, Object> request = imapConnection(unique("drain"), mailbox, mailbox.password());
            ((Map<String, Object>) request.get("imap")).put("port", recorder.port());
            request.put("polling", Map.of("intervalSeconds", 300));
            String connection = createConnection(request);

            // The first poll starts at once; the next would be in five minutes. All arrive well before that.
            await().atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(messages(connection)).hasSize(count));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(count));

            // The second round (messages 101 to 130) was searched for and fetched while the first round's two
            // batches were still in the pipeline: the pipeline does not run dry between rounds.
            List<String> commands = recorder.commands();
            int firstFetch = indexOf(commands, "\\S+ UID FETCH 1:50 \\(UID BODY\\.PEEK\\[\\]\\)", 0);
            int secondSearch = indexOf(commands, "\\S+ UID SEARCH UNSEEN UNDELETED", firstFetch);
            int secondRoundFetch = indexOf(commands, "\\S+ UID FETCH 101:130 \\(UID BODY\\.PEEK\\[\\]\\)", 0);
            int firstStore = indexOf(commands, "\\S+ UID STORE .*", 0);
            assertThat(firstFetch).isNotNegative();
            assertThat(secondSearch).isNotNegative().isLessThan(firstStore);
            assertThat(secondRoundFetch).isNotNegative().isLessThan(firstStore);
            remove(connection);
        }
    }

    private static int indexOf(List<String> commands, String regex, int from) {
        for (int i = Math.max(0, from); i < commands.size(); i++) {
            if (commands.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aMessageLargerThanTheFetchBudgetIsStreamedInChunksToTheSpool() throws Exception {
        Mailbox mailbox = mailbox();
        StringBuilder body = new StringBuilder(9 * 1024 * 1024 + 100);
        String line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n";
        while (body.length() < 9 * 1024 * 1024) {
            body.append(line);
        }
        body.append("the end of the large message");
        deliver(mailbox, message(newMessageId(), "Small one", "x"));
        deliver(mailbox, message(newMessageId(), "Large one", body.toString()));
        try (ImapCommandRecorder recorder =
                new ImapCommandRecorder(MAIL.getImap().getPort())) {
            Map<String, Object> request = imapConnection(unique("large"), mailbox, mailbox.password());
            ((Map<String, Object>) request.get("imap")).put("port", recorder.port());
            String connection = createConnection(request);

            List<JsonNode> stored = awaitMessages(connection, 2);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(2));
            List<String> commands = recorder.commands();
            // The small one in a batch of its own budget, the large one only ever in 1 MiB pieces.
            assertThat(commands).anyMatch(c -> c.matches("\\S+ UID FETCH 1 \\(UID BODY\\.PEEK\\[\\]\\)"));
            assertThat(commands).anyMatch(c -> c.matches("\\S+ UID FETCH 2 \\(UID BODY\\.PEEK\\[\\]<0\\.1048576>\\)"));
            assertThat(commands)
                    .anyMatch(c -> c.matches("\\S+ UID FETCH 2 \\(UID BODY\\.PEEK\\[\\]<9437184\\.1048576>\\)"));
            assertThat(commands).noneMatch(c -> c.matches("\\S+ UID FETCH (2|1:2) \\(UID BODY\\.PEEK\\[\\]\\)"));

            JsonNode large = stored.stream()
                    .filter(m -> m.get("subject").asText().equals("Large one"))
                    .findFirst()
                    .orElseThrow();
            byte[] raw = download(
                    "/api/v1/orgs/default/email-messages/" + large.get("id").asLong() + "/raw");
            assertThat(raw).isEqualTo(plainFetch(mailbox, 2));
            remove(connection);
        }
    }

    private void remove(String connection) {
        call(HttpMethod.DELETE, "/api/v1/orgs/default/connections/" + connection, admin(), null);
    }

    /** The message's bytes as any IMAP client reads them. */
    private static byte[] plainFetch(Mailbox mailbox, int number) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", MAIL.getImap().getPort(), mailbox.address(), mailbox.password());
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            inbox.getMessage(number).writeTo(out);
            inbox.close(false);
            return out.toByteArray();
        } finally {
            store.close();
        }
    }

    private void failMessagesWithTheToken() throws Exception {
        if (advised) {
            return;
        }
        AdviceWith.adviceWith(
                camel,
                "mailgate-pipeline",
                route -> route.weaveById("mailgate-pipeline-incident-sink")
                        .before()
                        .process(exchange -> {
                            var parsed = exchange.getProperty("mailgateParsed", ParsedEmail.class);
                            if (parsed != null
                                    && parsed.subject() != null
                                    && parsed.subject().contains(FAIL_TOKEN)) {
                                throw new IllegalStateException("the test makes this message fail");
                            }
                        }));
        advised = true;
    }

    private static String subject(StoredMessage m) {
        try {
            return m.getMimeMessage().getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every UID any UID STORE command named. */
    private static List<Long> storedUids(List<String> commands) {
        List<Long> uids = new ArrayList<>();
        var store = Pattern.compile("\\S+ UID STORE (\\S+) .*");
        for (String command : commands) {
            var m = store.matcher(command);
            if (m.matches()) {
                for (String range : m.group(1).split(",")) {
                    String[] ends = range.split(":");
                    long from = Long.parseLong(ends[0]);
                    long to = Long.parseLong(ends[ends.length - 1]);
                    for (long uid = from; uid <= to; uid++) {
                        uids.add(uid);
                    }
                }
            }
        }
        return uids;
    }
}
