package io.mailgate.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailgate.testing.IngestTestSupport;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The change feed keeps commit order without a lock held through ingests, on H2 (see {@link ChangeFeedOrder}). */
class ChangeFeedOrderTest extends IngestTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    ChangeSequencer sequencer;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aMessageMarkedReadHasItsPositionAlready() {
        Mailbox mailbox = mailbox();
        for (int i = 0; i < 5; i++) {
            deliver(mailbox, message(newMessageId(), "Positioned " + i, "body " + i));
        }
        String connection = createImapConnection(mailbox);
        await().atMost(Duration.ofSeconds(60)).until(() -> seen(mailbox) == 5);
        // The sequencer runs right after each store commit, before the exchange completes (and the source marks
        // the message \Seen): no wait for the periodic sweep.
        assertThat(jdbc.queryForList(
                        "SELECT change_seq FROM incidents WHERE connection_api_name = ?", Long.class, connection))
                .hasSize(5)
                .doesNotContainNull();
    }

    @Test
    void aReaderNeverSkipsAChangeThatCommitsLater() throws Exception {
        List<List<ChangeFeedOrder.Change>> pages =
                ChangeFeedOrder.laterStartedTransactionCommitsFirst(dataSource, sequencer);
        assertThat(pages.get(1).get(0).position())
                .isGreaterThan(pages.get(0).get(pages.get(0).size() - 1).position());
    }
}
