package io.mailgate.component.msgraph;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import io.mailgate.oauth.AccessTokenProvider;
import io.mailgate.oauth.ClientCredential;
import io.mailgate.oauth.EntraSimulator;
import io.mailgate.oauth.GraphCloud;
import io.mailgate.oauth.OAuthClientSettings;
import io.mailgate.oauth.OAuthException;
import io.mailgate.oauth.OAuthFailure;
import io.mailgate.oauth.RefreshTokenStore;
import io.mailgate.oauth.RefreshingAccessTokenProvider;
import io.mailgate.oauth.TokenService;
import java.io.File;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MsGraphMailConsumerTest {

    private final GraphSimulator graph = new GraphSimulator();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private CamelContext context;

    record Received(String body, Map<String, Object> headers, Object bodyType) {}

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        graph.close();
    }

    private final Processor collect = exchange -> {
        Object body = exchange.getIn().getBody();
        String text = exchange.getIn().getBody(String.class);
        received.add(new Received(text, Map.copyOf(exchange.getIn().getHeaders()), body.getClass()));
    };

    private void start(String options, Processor processor, AccessTokenProvider tokens) throws Exception {
        context = new DefaultCamelContext();
        // like the application: no stream caching, the consumer's stream reaches the pipeline as it is
        context.setStreamCaching(false);
        context.getRegistry().bind("tokens", tokens);
        String uri = "ms-graph-mail:test?baseUrl=" + graph.baseUrl() + "&tokenProvider=#tokens&initialDelay=0&delay=100"
                + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("graph-test").process(processor);
            }
        });
        context.start();
    }

    private void start(String options, Processor processor) throws Exception {
        start(options, processor, () -> GraphSimulator.TOKEN);
    }

    @Test
    void messagesAreMarkedReadFourAtATimeAfterTheirGroupAndDeliveredInOrder() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        Instant t = Instant.parse("2026-11-27T01:00:00Z");
        List<GraphSimulator.Message> messages = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            messages.add(me.add(me.wellKnown("inbox"), "parallel " + i, t.plusSeconds(i)));
        }
        graph.holdPatches();

        start("", collect);

        // The first group of 4 is handed over in order; its 4 mark-reads then go out together.
        await().atMost(Duration.ofSeconds(10)).until(() -> graph.patchesInFlight() == 4);
        assertThat(received).hasSize(4);
        graph.releasePatches();
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream().allMatch(m -> m.read));
        assertThat(received)
                .extracting(r -> r.headers().get(MsGraphMailConstants.MESSAGE_ID))
                .containsExactlyElementsOf(messages.stream().map(m -> m.id).toList());
        await().untilAsserted(() -> assertThat(spoolFiles()).isEmpty());
    }

    @Test
    void deliversUnreadMessagesOldestFirstAsRawMimeThenMarksThemRead() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder inbox = me.wellKnown("inbox");
        Instant t = Instant.parse("2026-11-27T01:00:00Z");
        GraphSimulator.Message second = me.add(inbox, "second", t.plusSeconds(60));
        GraphSimulator.Message first = me.add(inbox, "first", t);
        GraphSimulator.Message third = me.add(inbox, "third", t.plusSeconds(120));
        me.add(inbox, "already read", t.plusSeconds(30)).read = true;
        me.add(me.wellKnown("junkemail"), "junk", t);

        start("&pageSize=2&deltaSync=false", collect); // the listing; GraphDeltaSyncTest covers delta

        await().atMost(Duration.ofSeconds(10)).until(() -> first.read && second.read && third.read);
        assertThat(received)
                .extracting(r -> r.headers().get(MsGraphMailConstants.MESSAGE_ID))
                .containsExactly(first.id, second.id, third.id);
        Received r = received.get(0);
        assertThat(r.body()).isEqualTo(first.mime);
        assertThat(InputStream.class).isAssignableFrom((Class<?>) r.bodyType());
        assertThat(r.headers())
                .containsEntry(MsGraphMailConstants.INTERNET_MESSAGE_ID, first.internetMessageId)
                .containsEntry(MsGraphMailConstants.MAILBOX, "me")
                .containsEntry(MsGraphMailConstants.FOLDER_ID, inbox.id())
                .containsEntry(MsGraphMailConstants.RECEIVED_DATE_TIME, t);
        // page 2 came from the nextLink; every call asked for immutable ids
        graph.server()
                .verify(getRequestedFor(urlPathEqualTo("/v1.0/me/mailFolders/" + inbox.id() + "/messages"))
                        .withQueryParam("$skip", equalTo("2")));
        graph.server()
                .verify(getRequestedFor(urlPathEqualTo("/v1.0/me/mailFolders/" + inbox.id() + "/messages"))
                        .withQueryParam("$select", equalTo("id,internetMessageId,receivedDateTime"))
                        .withQueryParam("$top", equalTo("2")));
        graph.server()
                .verify(patchRequestedFor(urlPathEqualTo("/v1.0/me/messages/" + first.id))
                        .withRequestBody(equalTo("{\"isRead\":true}"))
                        .withHeader("Prefer", equalTo("IdType=\"ImmutableId\"")));
        assertThat(graph.server().findAll(getRequestedFor(urlPathMatching("/v1.0/.*"))))
                .allSatisfy(req -> assertThat(req.getHeader("Prefer")).isEqualTo("IdType=\"ImmutableId\""));
        await().untilAsserted(() -> assertThat(spoolFiles()).isEmpty());
        // read messages are not delivered again
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 3);
    }

    @Test
    void aFailingPipelineLeavesTheMessageUnreadAndItComesAgain() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Message message = me.add(me.wellKnown("inbox"), "poison", Instant.parse("2026-11-27T01:00:00Z"));
        AtomicInteger attempts = new AtomicInteger();

        start("", exchange -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("pipeline failed");
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 3);
        assertThat(message.read).isFalse();
        graph.server().verify(0, patchRequestedFor(urlPathMatching("/v1.0/.*")));
        await().untilAsserted(() -> assertThat(spoolFiles()).isEmpty());
    }

    @Test
    void aMessageProcessedButNotMarkedReadIsMarkedLaterAndNotDeliveredAgain() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Message message = me.add(me.wellKnown("inbox"), "once", Instant.parse("2026-11-27T01:00:00Z"));
        graph.failNextPatches(2);

        start("", collect);

        await().atMost(Duration.ofSeconds(10)).until(() -> message.read);
        assertThat(received).hasSize(1);
        graph.server().verify(3, patchRequestedFor(urlPathEqualTo("/v1.0/me/messages/" + message.id)));
    }

    @Test
    void aSharedMailboxIsReadThroughUsers() throws Exception {
        GraphSimulator.Mailbox shared = graph.mailbox("phish@contoso.example");
        GraphSimulator.Message message =
                shared.add(shared.wellKnown("inbox"), "report", Instant.parse("2026-11-27T01:00:00Z"));

        start("&mailbox=soc@contoso.example\\phish@contoso.example", collect);

        await().atMost(Duration.ofSeconds(10)).until(() -> message.read);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.headers()).containsEntry(MsGraphMailConstants.MAILBOX, "phish@contoso.example");
            assertThat(r.body()).isEqualTo(message.mime);
        });
        graph.server()
                .verify(getRequestedFor(
                        urlPathEqualTo("/v1.0/users/phish@contoso.example/messages/" + message.id + "/$value")));
        graph.server().verify(0, getRequestedFor(urlPathMatching("/v1.0/me/.*")));
    }

    @Test
    void aFolderPathIsResolvedThroughChildFolders() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder phishing = me.folder(null, "Phishing", me.wellKnown("inbox"));
        GraphSimulator.Folder year = me.folder(null, "O'Brien 2026", phishing);
        GraphSimulator.Message message = me.add(year, "nested", Instant.parse("2026-11-27T01:00:00Z"));
        me.add(me.wellKnown("inbox"), "not this folder", Instant.parse("2026-11-27T01:00:00Z"));

        start("&folder=Inbox/Phishing/O'Brien 2026", collect);

        await().atMost(Duration.ofSeconds(10)).until(() -> message.read);
        assertThat(received)
                .singleElement()
                .satisfies(r -> assertThat(r.headers()).containsEntry(MsGraphMailConstants.FOLDER_ID, year.id()));
        graph.server()
                .verify(getRequestedFor(urlPathEqualTo("/v1.0/me/mailFolders/" + phishing.id() + "/childFolders"))
                        .withQueryParam("$filter", equalTo("displayName eq 'O''Brien 2026'")));
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder inbox = me.wellKnown("inbox");
        for (int i = 0; i < 3; i++) {
            me.add(inbox, "m" + i, Instant.parse("2026-11-27T01:00:00Z").plusSeconds(i));
        }
        graph.nextLinksOnHost("127.0.0.1");

        start("&pageSize=2&deltaSync=false", collect); // the listing; GraphDeltaSyncTest covers delta

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
        graph.server().verify(0, getRequestedFor(urlPathMatching("/v1.0/.*")).withQueryParam("$skip", equalTo("2")));
        List<LoggedRequest> all = graph.server().findAll(getRequestedFor(urlPathMatching("/v1.0/.*")));
        assertThat(all).allSatisfy(req -> assertThat(req.getHeader("Host")).startsWith("localhost"));
    }

    @Test
    void throttlingHonoursRetryAfterBeforeTheNextRequest() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Message message = me.add(me.wellKnown("inbox"), "late", Instant.parse("2026-11-27T01:00:00Z"));
        graph.throttleNext(1, 429, 2);

        start("", collect);

        await().atMost(Duration.ofSeconds(10)).until(() -> message.read);
        List<LoggedRequest> requests = graph.server().findAll(getRequestedFor(urlPathMatching("/v1.0/.*")));
        requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        Duration gap = Duration.between(
                requests.get(0).getLoggedDate().toInstant(),
                requests.get(1).getLoggedDate().toInstant());
        // polls run every 100 ms, but none reached Graph before Retry-After (2 s) had passed
        assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aStaleTokenIsRefreshedOnceAfter401() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Message message = me.add(me.wellKnown("inbox"), "m", Instant.parse("2026-11-27T01:00:00Z"));
        AtomicInteger invalidations = new AtomicInteger();
        AccessTokenProvider tokens = new AccessTokenProvider() {
            @Override
            public String accessToken() {
                return invalidations.get() == 0 ? "revoked-token" : GraphSimulator.TOKEN;
            }

            @Override
            public void invalidate() {
                invalidations.incrementAndGet();
            }
        };

        start("", collect, tokens);

        await().atMost(Duration.ofSeconds(10)).until(() -> message.read);
        assertThat(invalidations).hasValue(1);
    }

    @Test
    void creatingAnEndpointCallsNobodyAndItsUriHoldsNoSecret() throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("tokens", (AccessTokenProvider) () -> "secret-token-value");
        context.getRegistry()
                .bind("proxy", new GraphProxy(GraphProxy.Protocol.HTTP, "proxy.example", 3128, "u", "proxy-password"));
        context.start();

        MsGraphMailEndpoint endpoint = context.getEndpoint(
                "ms-graph-mail:phishing?baseUrl=" + graph.baseUrl()
                        + "&mailbox=phish@contoso.example&folder=Inbox/Phishing&tokenProvider=#tokens&proxy=#proxy&maxMessagesPerPoll=5",
                MsGraphMailEndpoint.class);

        assertThat(endpoint.getConfiguration().getFolder()).isEqualTo("Inbox/Phishing");
        assertThat(endpoint.getConfiguration().getMaxMessagesPerPoll()).isEqualTo(5);
        assertThat(endpoint.getDelay()).isEqualTo(60_000L);
        assertThat(endpoint.getEndpointUri() + endpoint.getConfiguration())
                .doesNotContain("secret-token-value")
                .doesNotContain("proxy-password");
        assertThat(graph.server().getAllServeEvents()).isEmpty();

        assertThatThrownBy(() -> context.getEndpoint("ms-graph-mail:x?unknownOption=1"))
                .hasMessageContaining("unknownOption");
        Processor none = exchange -> {};
        assertThatThrownBy(() -> context.getEndpoint("ms-graph-mail:x").createConsumer(none))
                .hasMessageContaining("tokenProvider");
    }

    @Test
    void tokensAreRefreshedWithRotationPersistedAndALostGrantStopsTokenCalls() throws Exception {
        try (EntraSimulator entra = new EntraSimulator()) {
            entra.accessTokenLifetime(2); // refreshed after half its life: about every second
            graph.acceptTokens(t -> entra.scopesOf(t) != null);
            List<String> saved = new CopyOnWriteArrayList<>();
            List<OAuthException> lost = new CopyOnWriteArrayList<>();
            AtomicReference<String> stored = new AtomicReference<>(entra.issueRefreshToken());
            RefreshTokenStore store = new RefreshTokenStore() {
                @Override
                public String load() {
                    return stored.get();
                }

                @Override
                public void save(String refreshToken) {
                    stored.set(refreshToken);
                    saved.add(refreshToken);
                }

                @Override
                public void grantLost(OAuthException cause) {
                    lost.add(cause);
                }
            };
            TokenService tokens = new TokenService(
                    new OAuthClientSettings(
                            GraphCloud.GLOBAL,
                            entra.baseUrl(),
                            EntraSimulator.CLIENT_ID,
                            null,
                            ClientCredential.secret(EntraSimulator.SECRET)),
                    ConnectionHttpClients.create(HttpSettings.of(null, null)));
            GraphSimulator.Mailbox me = graph.mailbox("me");
            GraphSimulator.Message first =
                    me.add(me.wellKnown("inbox"), "first", Instant.parse("2026-11-27T01:00:00Z"));

            start("", collect, new RefreshingAccessTokenProvider(tokens, store));

            await().atMost(Duration.ofSeconds(10)).until(() -> first.read && saved.size() >= 2);
            assertThat(saved).doesNotHaveDuplicates();
            assertThat(lost).isEmpty();

            entra.revokeRefreshTokens();
            await().atMost(Duration.ofSeconds(10)).until(() -> !lost.isEmpty());
            assertThat(lost).singleElement().satisfies(e -> {
                assertThat(e.failure()).isEqualTo(OAuthFailure.NEEDS_CONSENT);
                assertThat(e.errorCode()).isEqualTo("AADSTS70008");
            });
            GraphSimulator.Message second =
                    me.add(me.wellKnown("inbox"), "second", Instant.parse("2026-11-27T01:05:00Z"));
            int calls = entra.tokenRequests();
            // polls go on every 100 ms, but none asks Entra again
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> entra.tokenRequests() == calls);
            assertThat(second.read).isFalse();
            assertThat(lost).hasSize(1);
        }
    }

    static List<File> spoolFiles() {
        File[] files = new File(System.getProperty("java.io.tmpdir"))
                .listFiles((dir, name) -> name.startsWith("mailgate-graph-"));
        return files == null ? List.of() : List.of(files);
    }
}
