package io.mailgate.component.msgraph;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading a folder by delta query against the simulator: rounds, pages, the stored link, and starting over. */
class GraphDeltaSyncTest {

    private final GraphSimulator graph = new GraphSimulator();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> links = new ConcurrentHashMap<>();
    private final List<String> saved = new CopyOnWriteArrayList<>();
    private final GraphDeltaStore store = new GraphDeltaStore() {
        @Override
        public String deltaLink(String folderId) {
            return links.get(folderId);
        }

        @Override
        public void save(String folderId, String deltaLink) {
            links.put(folderId, deltaLink);
            saved.add(deltaLink);
        }

        @Override
        public void clear(String folderId) {
            links.remove(folderId);
        }
    };
    private CamelContext context;

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        graph.close();
    }

    private void start(String options) throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("tokens", (GraphTokenProvider) () -> GraphSimulator.TOKEN);
        context.getRegistry().bind("deltas", store);
        String uri = "ms-graph-mail:delta?baseUrl=" + graph.baseUrl() + "&tokenProvider=#tokens&deltaStore=#deltas"
                + "&initialDelay=0&delay=100" + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri)
                        .routeId("delta-test")
                        .process(e -> received.add(e.getIn()
                                .getBody(String.class)
                                .lines()
                                .filter(l -> l.startsWith("Subject: "))
                                .findFirst()
                                .orElseThrow()
                                .substring(9)));
            }
        });
        context.start();
    }

    private List<LoggedRequest> deltaRequests(String folderId) {
        return graph.server()
                .findAll(getRequestedFor(urlPathEqualTo("/v1.0/me/mailFolders/" + folderId + "/messages/delta")));
    }

    @Test
    void aFullRoundFollowsEveryPageThenLaterRoundsAskOnlyForChangesFromTheStoredLink() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder inbox = me.wellKnown("inbox");
        Instant t = Instant.parse("2026-11-27T01:00:00Z");
        List<GraphSimulator.Message> unread = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            unread.add(me.add(inbox, "unread " + i, t.plusSeconds(60 - i))); // created newest first
        }
        me.add(inbox, "already read", t).read = true;
        me.add(me.wellKnown("junkemail"), "junk", t);

        start("&pageSize=2");

        await().atMost(Duration.ofSeconds(10)).until(() -> unread.stream().allMatch(m -> m.read));
        assertThat(received)
                .as("oldest first, each once, read ones left out")
                .containsExactly("unread 4", "unread 3", "unread 2", "unread 1", "unread 0");
        await().atMost(Duration.ofSeconds(5)).until(() -> !saved.isEmpty());
        List<LoggedRequest> first = deltaRequests(inbox.id());
        assertThat(first.get(0).queryParameter("$select").firstValue())
                .contains("isRead")
                .contains("id");
        assertThat(first.get(0).getHeaders().getHeader("Prefer").values())
                .contains("odata.maxpagesize=2", "IdType=\"ImmutableId\"");
        assertThat(first)
                .as("the full round's 6 messages in pages of 2: 3 pages")
                .filteredOn(r -> !r.getUrl().contains("$deltatoken"))
                .hasSizeGreaterThanOrEqualTo(3);

        // later rounds start from the stored link and see the new message only
        GraphSimulator.Message later = me.add(inbox, "later", t.plusSeconds(600));
        await().atMost(Duration.ofSeconds(10)).until(() -> later.read);
        assertThat(received).containsExactly("unread 4", "unread 3", "unread 2", "unread 1", "unread 0", "later");
        assertThat(deltaRequests(inbox.id()))
                .filteredOn(r -> r.getUrl().contains("$deltatoken"))
                .isNotEmpty();
        assertThat(links.get(inbox.id())).contains("$deltatoken=");
        assertThat(deltaRequests(inbox.id()))
                .as("only one full round")
                .filteredOn(
                        r -> !r.getUrl().contains("$deltatoken") && !r.getUrl().contains("$skiptoken"))
                .hasSize(1);
        // the plain listing is not used any more
        assertThat(graph.server()
                        .findAll(getRequestedFor(urlPathEqualTo("/v1.0/me/mailFolders/" + inbox.id() + "/messages"))))
                .isEmpty();
    }

    @Test
    void aStoredLinkIsUsedAfterARestartAndALinkGraphForgotStartsAFullRoundWithoutDeliveringTwice() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder inbox = me.wellKnown("inbox");
        Instant t = Instant.parse("2026-11-27T01:00:00Z");
        GraphSimulator.Message first = me.add(inbox, "first", t);
        start("");
        await().atMost(Duration.ofSeconds(10)).until(() -> first.read && !saved.isEmpty());
        context.stop();

        // a restart: the stored link goes on where the last round ended
        int before = deltaRequests(inbox.id()).size();
        GraphSimulator.Message second = me.add(inbox, "second", t.plusSeconds(60));
        start("");
        await().atMost(Duration.ofSeconds(10)).until(() -> second.read);
        assertThat(deltaRequests(inbox.id())
                        .subList(before, deltaRequests(inbox.id()).size()))
                .as("no full round after the restart")
                .allMatch(r -> r.getUrl().contains("$deltatoken"));

        // Graph drops its sync state: 410, then a full round from the start; what was read stays read
        graph.expireDeltaLinks();
        GraphSimulator.Message third = me.add(inbox, "third", t.plusSeconds(120));
        await().atMost(Duration.ofSeconds(10)).until(() -> third.read);
        assertThat(graph.server().getAllServeEvents())
                .anyMatch(e -> e.getResponse().getStatus() == 410);
        assertThat(received).containsExactly("first", "second", "third");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> received.size() == 3);
    }

    @Test
    void messagesReadOrRemovedBeforeTheirTurnAreSkipped() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder inbox = me.wellKnown("inbox");
        Instant t = Instant.parse("2026-11-27T01:00:00Z");
        GraphSimulator.Message kept = me.add(inbox, "kept", t);
        start("");
        await().atMost(Duration.ofSeconds(10)).until(() -> kept.read && !saved.isEmpty());
        context.stop();

        GraphSimulator.Message readElsewhere = me.add(inbox, "read in Outlook", t.plusSeconds(1));
        GraphSimulator.Message removed = me.add(inbox, "deleted", t.plusSeconds(2));
        GraphSimulator.Message fresh = me.add(inbox, "fresh", t.plusSeconds(3));
        me.setRead(readElsewhere, true);
        me.remove(removed);
        start("");

        await().atMost(Duration.ofSeconds(10)).until(() -> fresh.read);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> received.size() == 2);
        assertThat(received).containsExactly("kept", "fresh");
        assertThat(graph.server().getAllServeEvents())
                .noneMatch(e -> e.getRequest().getUrl().contains(removed.id))
                .noneMatch(e -> e.getRequest().getUrl().contains(readElsewhere.id));
    }
}
