package io.mailgate.component.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.camel.Processor;
import org.apache.camel.StreamCache;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ews: consumer in a plain CamelContext against the simulator. */
class EwsConsumerTest {

    static final String PRIMARY = "primary@example.com";
    static final String SHARED = "shared@example.com";
    static final String OTHER = "other@example.com";
    static final String PASSWORD = "S3cret-Pa55!";

    record Received(
            String itemId,
            String changeKey,
            String mailbox,
            String folderId,
            String sha256,
            byte[] bytes,
            Object body) {}

    private EwsSimulator exchange;
    private ConnectProxy proxy;
    private DefaultCamelContext camel;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @TempDir
    Path workDir;

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (exchange != null) {
            exchange.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ delivery

    @Test
    void deliversUnreadMessagesOldestFirstAndMarksThemReadAfterTheRouteCompletes() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var first = exchange.message(PRIMARY, "inbox", mime("first"));
        var alreadyRead = exchange.message(PRIMARY, "inbox", () -> InputStream.nullInputStream(), true);
        var second = exchange.message(PRIMARY, "inbox", mime("second"));
        var third = exchange.message(PRIMARY, "inbox", mime("third"));

        start(Map.of("r", uri(PRIMARY, "pageSize=2")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 3 && third.read);
        assertThat(received)
                .extracting(r -> new String(r.bytes(), StandardCharsets.UTF_8))
                .containsExactly(mime("first"), mime("second"), mime("third"));
        assertThat(received.get(0).itemId()).isEqualTo(first.id);
        assertThat(received.get(0).changeKey()).isNotBlank();
        assertThat(received).allSatisfy(r -> {
            assertThat(r.mailbox()).isEqualTo(PRIMARY);
            assertThat(r.folderId()).isEqualTo("inbox");
            assertThat(r.body()).isInstanceOf(InputStream.class).isInstanceOf(StreamCache.class);
        });
        assertThat(first.read).isTrue();
        assertThat(second.read).isTrue();
        assertThat(alreadyRead.fetched.get())
                .as("read messages are not fetched")
                .isZero();
        assertThat(exchange.requests)
                .filteredOn(r -> r.operation().equals("UpdateItem"))
                .allSatisfy(r -> assertThat(r.body())
                        .contains("SuppressReadReceipts=\"true\"")
                        .contains("<t:FieldURI FieldURI=\"message:IsRead\"/>"));
        assertThat(exchange.requests)
                .filteredOn(r -> r.operation().equals("FindItem"))
                .first()
                .satisfies(r -> assertThat(r.body()).contains("MaxEntriesReturned=\"2\""));
        await().atMost(Duration.ofSeconds(5)).until(() -> isEmpty(workDir));
        // Nothing is delivered twice once read.
        assertThat(first.fetched.get()).isEqualTo(1);
        // NTLM authenticates the connection: one handshake serves all the requests sent on it.
        assertThat(exchange.requests.size()).isGreaterThanOrEqualTo(4);
        assertThat(exchange.ntlmAuthentications).hasSize(1);
    }

    @Test
    void aFailingRouteLeavesTheMessageUnreadAndItComesAgain() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var item = exchange.message(PRIMARY, "inbox", mime("will fail"));

        start(Map.of("r", uri(PRIMARY, "")), exchange -> {
            collect().process(exchange);
            throw new IllegalStateException("pipeline down");
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> item.fetched.get() >= 2);
        assertThat(item.read).isFalse();
        assertThat(exchange.count("UpdateItem")).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> isEmpty(workDir));
    }

    @Test
    void aMessageStoredButNotMarkedReadIsMarkedAtTheNextPollAndNotDeliveredAgain() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var item = exchange.message(PRIMARY, "inbox", mime("once"));
        exchange.throttle(PRIMARY, "UpdateItem", new EwsSimulator.Refused("ErrorAccessDenied"));
        exchange.throttle(PRIMARY, "UpdateItem", new EwsSimulator.Refused("ErrorAccessDenied"));

        start(Map.of("r", uri(PRIMARY, "")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        assertThat(received)
                .as("stored once, never delivered again while its mark-read waited")
                .hasSize(1);
        assertThat(item.fetched.get()).isEqualTo(1);
        assertThat(exchange.count("UpdateItem")).isEqualTo(3);
    }

    @Test
    void basicAuthentication() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.BASIC).user(PRIMARY, PASSWORD);
        var item = exchange.message(PRIMARY, "inbox", mime("basic"));

        start(Map.of("r", uri(PRIMARY, "").replace("#creds", "#basicCreds")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        assertThat(received).hasSize(1);
    }

    @Test
    void sharedMailboxIsReadWithThePrimaryAccountsCredentials() throws Exception {
        exchange =
                new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD).grant(PRIMARY, SHARED);
        var own = exchange.message(PRIMARY, "inbox", mime("primary's own"));
        var shared = exchange.message(SHARED, "inbox", mime("reported to the shared mailbox"));

        start(Map.of("r", uri(PRIMARY + "\\" + SHARED, "")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> shared.read);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(new String(r.bytes(), StandardCharsets.UTF_8)).isEqualTo(mime("reported to the shared mailbox"));
            assertThat(r.mailbox()).isEqualTo(SHARED);
        });
        assertThat(own.read).isFalse();
        assertThat(own.fetched.get()).isZero();
        assertThat(exchange.ntlmAuthentications)
                .allSatisfy(a -> assertThat(a.user()).isEqualTo(PRIMARY));
        assertThat(exchange.requests)
                .filteredOn(r -> r.operation().equals("FindItem"))
                .first()
                .satisfies(r -> assertThat(r.body())
                        .contains("<t:DistinguishedFolderId Id=\"inbox\"><t:Mailbox><t:EmailAddress>" + SHARED
                                + "</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>"));
    }

    @Test
    void folderPathIsResolvedOnceAndOnlyThatFolderIsRead() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        String phishing = exchange.folder(PRIMARY, "inbox", "Phishing");
        exchange.folder(PRIMARY, "msgfolderroot", "Archive");
        var inInbox = exchange.message(PRIMARY, "inbox", mime("in the inbox"));
        var inPhishing = exchange.message(PRIMARY, phishing, mime("a phish"));

        start(Map.of("r", uri(PRIMARY, "folder=Inbox/Phishing")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> inPhishing.read && exchange.count("FindItem") >= 3);
        assertThat(received)
                .singleElement()
                .satisfies(r -> assertThat(r.folderId()).isEqualTo(phishing));
        assertThat(inInbox.read).isFalse();
        assertThat(exchange.count("FindFolder")).as("the folder id is cached").isEqualTo(1);
    }

    @Test
    void folderByDisplayNameAloneIsFoundUnderTheInbox() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        String phishing = exchange.folder(PRIMARY, "inbox", "Phishing");
        var item = exchange.message(PRIMARY, phishing, mime("a phish"));

        start(Map.of("r", uri(PRIMARY, "folder=phishing")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        assertThat(exchange.count("FindFolder")).isEqualTo(2); // top of the mailbox first, then the Inbox
    }

    @Test
    void throughAnAuthenticatingProxy() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var item = exchange.message(PRIMARY, "inbox", mime("via proxy"));
        proxy = new ConnectProxy("proxyuser", "proxy-pw", null);

        start(
                Map.of("r", uri(PRIMARY, "proxy=#proxy")),
                collect(),
                Map.of(
                        "proxy",
                        new EwsProxy(EwsProxy.Protocol.HTTP, "localhost", proxy.port(), "proxyuser", "proxy-pw")));

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        assertThat(received).hasSize(1);
        assertThat(proxy.tunnels).isNotEmpty().allMatch(t -> t.equals("localhost:" + exchange.port()));
    }

    // ------------------------------------------------------------------------------------------------ throttling

    @Test
    void serverBusyBacksOffThatMailboxOnlyForTheTimeExchangeAsks() throws Exception {
        exchange =
                new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD).user(OTHER, PASSWORD);
        exchange.throttle(PRIMARY, new EwsSimulator.ServerBusy(600_000));
        var throttled = exchange.message(PRIMARY, "inbox", mime("waits"));
        var other = exchange.message(OTHER, "inbox", mime("flows"));

        start(Map.of("busy", uri(PRIMARY, ""), "free", uri(OTHER, "").replace("#creds", "#otherCreds")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> other.read && exchange.count("FindItem", OTHER) >= 4);
        assertThat(exchange.count("FindItem", PRIMARY))
                .as("no poll while backing off")
                .isEqualTo(1);
        assertThat(throttled.read).isFalse();
        assertThat(throttled.fetched.get()).isZero();
        Instant until = ((EwsConsumer) camel.getRoute("busy").getConsumer()).backOffUntil();
        assertThat(until)
                .isBetween(Instant.now().plusSeconds(500), Instant.now().plusSeconds(601));
        assertThat(((EwsConsumer) camel.getRoute("free").getConsumer()).backOffUntil())
                .isEqualTo(Instant.MIN);
    }

    @Test
    void serverBusyBackOffEndsAndTheMessageIsDelivered() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        exchange.throttle(PRIMARY, new EwsSimulator.ServerBusy(1_500));
        var item = exchange.message(PRIMARY, "inbox", mime("later"));

        start(Map.of("r", uri(PRIMARY, "")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        List<Instant> finds = exchange.requests.stream()
                .filter(r -> r.operation().equals("FindItem"))
                .map(EwsSimulator.Request::at)
                .toList();
        assertThat(Duration.between(finds.get(0), finds.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1_400));
    }

    @Test
    void http503RetryAfterIsHonoured() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        exchange.throttle(PRIMARY, new EwsSimulator.Unavailable("2"));
        var item = exchange.message(PRIMARY, "inbox", mime("after 503"));

        start(Map.of("r", uri(PRIMARY, "")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        List<Instant> finds = exchange.requests.stream()
                .filter(r -> r.operation().equals("FindItem"))
                .map(EwsSimulator.Request::at)
                .toList();
        assertThat(Duration.between(finds.get(0), finds.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    }

    @Test
    void throttledGetItemStopsTheBatchAndLeavesTheRestUnread() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var a = exchange.message(PRIMARY, "inbox", mime("a"));
        var b = exchange.message(PRIMARY, "inbox", mime("b"));
        exchange.throttle(PRIMARY, "GetItem", new EwsSimulator.Unavailable(null)); // no Retry-After: the default

        start(Map.of("r", uri(PRIMARY, "throttleBackOff=1500")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> a.read && b.read);
        assertThat(received).extracting(Received::itemId).containsExactly(a.id, b.id);
        List<EwsSimulator.Request> requests = List.copyOf(exchange.requests);
        assertThat(requests)
                .extracting(EwsSimulator.Request::operation)
                .as("b is not fetched in the throttled batch")
                .startsWith("FindItem", "GetItem", "FindItem", "GetItem");
        assertThat(Duration.between(requests.get(1).at(), requests.get(2).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_400));
    }

    @Test
    void serverBusyOnUpdateItemHoldsEveryFurtherRequestOfTheBatchForTheBackOff() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var a = exchange.message(PRIMARY, "inbox", mime("busy a"));
        var b = exchange.message(PRIMARY, "inbox", mime("busy b"));
        var c = exchange.message(PRIMARY, "inbox", mime("busy c"));
        exchange.throttle(PRIMARY, "UpdateItem", new EwsSimulator.ServerBusy(1_500));

        // One message per request, as before batching: the UpdateItem of a is throttled mid-batch.
        start(Map.of("r", uri(PRIMARY, "fetchBatchSize=1&markReadBatchSize=1")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> a.read && b.read && c.read);
        assertThat(exchange.backOffViolations)
                .as("no request while Exchange asked to wait")
                .hasValue(0);
        List<EwsSimulator.Request> requests = List.copyOf(exchange.requests);
        int busy = indexOf(requests, "UpdateItem");
        assertThat(Duration.between(
                        requests.get(busy).at(), requests.get(busy + 1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_400));
        assertThat(received)
                .extracting(Received::itemId)
                .as("each delivered once")
                .containsExactly(a.id, b.id, c.id);
        assertThat(requests)
                .filteredOn(r -> r.operation().equals("UpdateItem"))
                .allSatisfy(r -> assertThat(r.body())
                        .contains("<t:RequestServerVersion Version=\"Exchange2013_SP1\"/>")
                        .contains("SuppressReadReceipts=\"true\""));
    }

    @Test
    void internalServerErrorWrappingServerBusyIsThrottling() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var item = exchange.message(PRIMARY, "inbox", mime("wrapped busy"));
        exchange.throttle(PRIMARY, "GetItem", new EwsSimulator.InternalServerBusy(1_200));

        start(Map.of("r", uri(PRIMARY, "")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        assertThat(exchange.backOffViolations).hasValue(0);
        List<EwsSimulator.Request> requests = List.copyOf(exchange.requests);
        int busy = indexOf(requests, "GetItem");
        assertThat(Duration.between(
                        requests.get(busy).at(), requests.get(busy + 1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_100));
        assertThat(received).hasSize(1);
    }

    @Test
    void internalServerErrorWrappingServerBusyWithoutBackOffWaitsTheDefault() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var item = exchange.message(PRIMARY, "inbox", mime("wrapped busy, no hint"));
        exchange.throttle(PRIMARY, "FindItem", new EwsSimulator.InternalServerBusy(-1));

        start(Map.of("r", uri(PRIMARY, "throttleBackOff=1000")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> item.read);
        List<Instant> finds = exchange.requests.stream()
                .filter(r -> r.operation().equals("FindItem"))
                .map(EwsSimulator.Request::at)
                .toList();
        assertThat(Duration.between(finds.get(0), finds.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void severalMessagesAreFetchedAndMarkedReadWithOneRequestEach() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        List<EwsSimulator.Item> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(exchange.message(PRIMARY, "inbox", mime("batched " + i)));
        }
        var gone = items.get(3);

        start(Map.of("r", uri(PRIMARY, "fetchBatchSize=5&markReadBatchSize=50")), ex -> {
            collect().process(ex);
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> items.stream().allMatch(i -> i.read));
        assertThat(received)
                .extracting(Received::itemId)
                .containsExactlyElementsOf(items.stream().map(i -> i.id).toList());
        assertThat(received)
                .extracting(r -> new String(r.bytes(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(IntStream.range(0, 7)
                        .mapToObj(i -> mime("batched " + i))
                        .toList());
        assertThat(exchange.count("GetItem")).as("7 messages in batches of 5").isEqualTo(2);
        assertThat(exchange.count("UpdateItem"))
                .as("marked read together after the batch")
                .isEqualTo(1);
        assertThat(gone.fetched.get()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> isEmpty(workDir));
    }

    @Test
    void aFailedMessageInABatchStaysUnreadWhileTheOthersAreMarked() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var good = exchange.message(PRIMARY, "inbox", mime("good"));
        var bad = exchange.message(PRIMARY, "inbox", mime("bad"));

        start(Map.of("r", uri(PRIMARY, "")), ex -> {
            collect().process(ex);
            byte[] bytes = received.get(received.size() - 1).bytes(); // the body stream was read once, by collect
            if (new String(bytes, StandardCharsets.UTF_8).contains("Subject: bad")) {
                throw new IllegalStateException("pipeline refused it");
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> good.read && bad.fetched.get() >= 2);
        assertThat(bad.read).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> isEmpty(workDir));
    }

    private static int indexOf(List<EwsSimulator.Request> requests, String operation) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).operation().equals(operation)) {
                return i;
            }
        }
        throw new AssertionError("no " + operation);
    }

    // ------------------------------------------------------------------------------------------------ size

    @Test
    void a40MegabyteMessageIsStreamedToDiskAndDeliveredIntact() throws Exception {
        long size = 40L * 1024 * 1024;
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var item = exchange.message(PRIMARY, "inbox", () -> largeMessage(size), false);
        String expected = sha256(largeMessage(size));
        List<Long> filesDuringProcessing = new CopyOnWriteArrayList<>();

        start(Map.of("r", uri(PRIMARY, "")), ex -> {
            try (Stream<Path> files = Files.list(workDir)) {
                files.forEach(f -> filesDuringProcessing.add(f.toFile().length()));
            }
            Object body = ex.getIn().getBody();
            assertThat(body).isNotInstanceOf(byte[].class).isInstanceOf(InputStream.class);
            assertThat(((StreamCache) body).inMemory()).isFalse();
            String sha = sha256((InputStream) body);
            received.add(new Received(
                    ex.getIn().getHeader(EwsConstants.ITEM_ID, String.class), null, null, null, sha, null, body));
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> item.read);
        assertThat(received)
                .singleElement()
                .satisfies(r -> assertThat(r.sha256()).isEqualTo(expected));
        assertThat(filesDuringProcessing)
                .as("the MIME was decoded into one file of the message's size")
                .containsExactly(size);
        await().atMost(Duration.ofSeconds(5)).until(() -> isEmpty(workDir));
    }

    @Test
    void aMessageOverMaxMessageSizeIsSkippedAndLeftUnread() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        var big = exchange.message(PRIMARY, "inbox", () -> largeMessage(100_000), false);
        var small = exchange.message(PRIMARY, "inbox", mime("small"));

        start(Map.of("r", uri(PRIMARY, "maxMessageSize=50000")), collect());

        await().atMost(Duration.ofSeconds(20)).until(() -> small.read && big.fetched.get() >= 2);
        assertThat(big.read).isFalse();
        assertThat(received).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> isEmpty(workDir));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String uri(String mailbox, String extra) {
        return "ews:test?endpoint=" + exchange.url() + "&mailbox=" + mailbox
                + "&credentials=#creds&sslContext=#trust&workDir=" + workDir + "&delay=100&initialDelay=0"
                + (extra.isEmpty() ? "" : "&" + extra);
    }

    private void start(Map<String, String> routes, Processor processor) throws Exception {
        start(routes, processor, Map.of());
    }

    private void start(Map<String, String> routes, Processor processor, Map<String, Object> beans) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("creds", new EwsCredentials(PRIMARY, PASSWORD, EwsCredentials.AuthScheme.NTLM));
        camel.getRegistry().bind("basicCreds", new EwsCredentials(PRIMARY, PASSWORD, EwsCredentials.AuthScheme.BASIC));
        camel.getRegistry().bind("otherCreds", new EwsCredentials(OTHER, PASSWORD, EwsCredentials.AuthScheme.NTLM));
        camel.getRegistry().bind("trust", TestTls.get().client);
        beans.forEach(camel.getRegistry()::bind);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                routes.forEach((id, uri) -> from(uri).routeId(id).process(processor));
            }
        });
        camel.start();
    }

    private Processor collect() {
        return ex -> {
            Object body = ex.getIn().getBody();
            byte[] bytes = ex.getIn().getBody(byte[].class);
            received.add(new Received(
                    ex.getIn().getHeader(EwsConstants.ITEM_ID, String.class),
                    ex.getIn().getHeader(EwsConstants.CHANGE_KEY, String.class),
                    ex.getIn().getHeader(EwsConstants.MAILBOX, String.class),
                    ex.getIn().getHeader(EwsConstants.FOLDER_ID, String.class),
                    null,
                    bytes,
                    body));
        };
    }

    static String mime(String subject) {
        return "From: reporter@example.com\r\nTo: soc@example.com\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.hashCode()
                + "@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Body of " + subject + " \u00e9\r\n";
    }

    /** A deterministic message of the given size, generated as it is read. */
    static InputStream largeMessage(long size) {
        byte[] header =
                "From: big@example.com\r\nSubject: large attachment\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(42);
        return new InputStream() {
            long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    long p = position + i;
                    b[off + i] = p < header.length ? header[(int) p] : (byte) random.nextInt(256);
                }
                position += n;
                return n;
            }
        };
    }

    static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, digest)) {
                d.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
