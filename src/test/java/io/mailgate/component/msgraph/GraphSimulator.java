package io.mailgate.component.msgraph;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Microsoft Graph v1.0 mail simulator after Microsoft's documentation: mailFolders (well-known
 * names, $filter on displayName, childFolders), list messages ($filter, $select, $orderby, $top,
 * nextLink with $skip, and the InefficientFilter rule for $filter with $orderby), the MIME of a
 * message ($value), PATCH isRead, bearer tokens (401), access denied (403), unknown users (404) and
 * throttling (429/503/504 with or without Retry-After).
 *
 * <p>Incremental sync and change notifications, as Microsoft documents them for Outlook messages: delta query on a
 * folder ({@code /mailFolders/{id}/messages/delta}: $select, {@code Prefer: odata.maxpagesize}, rounds of
 * {@code @odata.nextLink} pages ending in an {@code @odata.deltaLink}, changes since a delta token, {@code @removed}
 * for messages deleted or moved away, 410 SyncStateNotFound for a token Graph no longer has), and subscriptions
 * (POST/PATCH/DELETE /subscriptions: the validationToken handshake on the notification and lifecycle URLs, HTTPS
 * only, at most 4,230 minutes, clientState of at most 128 characters) with notifications of created messages and
 * lifecycle notifications posted to the subscriber.
 */
public final class GraphSimulator implements AutoCloseable {

    public static final String TOKEN = "graph-access-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FILTER_NAME = Pattern.compile("displayName eq '((?:[^']|'')*)'");

    private final WireMockServer server;
    private final Set<String> acceptedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Set<String> deniedMailboxes = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<int[]> throttles = new ConcurrentLinkedQueue<>();
    private final boolean https;
    private final AtomicInteger patchesInFlight = new AtomicInteger();
    private volatile CountDownLatch patchGate;
    private volatile String nextLinkHost;
    private volatile Predicate<String> issuer = t -> false;
    private volatile Function<String, String> accountOfToken = t -> null;
    private final Map<String, Set<String>> fullAccess = new ConcurrentHashMap<>();

    public GraphSimulator() {
        this(null);
    }

    /** Served over HTTPS only, with the certificate of this PKCS#12 keystore, when one is given. */
    public GraphSimulator(ServerCertificate tls) {
        this.https = tls != null;
        server = new WireMockServer(
                tls == null
                        ? options().dynamicPort().extensions(new Transformer())
                        : options()
                                .httpDisabled(true)
                                .dynamicHttpsPort()
                                .keystoreType("PKCS12")
                                .keystorePath(tls.keystore.toString())
                                .keystorePassword(ServerCertificate.PASSWORD)
                                .keyManagerPassword(ServerCertificate.PASSWORD)
                                .extensions(new Transformer()));
        server.start();
        server.stubFor(any(urlPathMatching("/v1.0/.*")).willReturn(aResponse().withTransformers("graph")));
        acceptedTokens.add(TOKEN);
    }

    public String baseUrl() {
        return (https ? "https" : "http") + "://localhost:" + port();
    }

    public int port() {
        return https ? server.httpsPort() : server.port();
    }

    public WireMockServer server() {
        return server;
    }

    void acceptToken(String token) {
        acceptedTokens.add(token);
    }

    /** Also accept tokens this predicate knows, e.g. those an Entra simulator issued. */
    public void acceptTokens(Predicate<String> issuer) {
        this.issuer = issuer;
    }

    /**
     * Tokens name their account, as Graph knows it from the token: /me is that account's own mailbox (its address as
     * the key), GET /me describes it, and /users/{other} needs full access to the other mailbox. Tokens without an
     * account (app-only) reach every mailbox, as application permissions do.
     */
    public void identifyAccounts(Function<String, String> accountOfToken) {
        this.accountOfToken = accountOfToken;
    }

    /** {@code account} has full access to {@code mailbox} (Add-MailboxPermission), so it may read it as a delegate. */
    public void grantFullAccess(String mailbox, String account) {
        fullAccess
                .computeIfAbsent(mailbox.toLowerCase(Locale.ROOT), k -> ConcurrentHashMap.newKeySet())
                .add(account.toLowerCase(Locale.ROOT));
    }

    /** "me" or a shared mailbox's address. */
    public Mailbox mailbox(String key) {
        return mailboxes.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new Mailbox(m -> created(k, m)));
    }

    /** The signed-in account has no permission on this mailbox. */
    public void deny(String mailbox) {
        deniedMailboxes.add(mailbox.toLowerCase(Locale.ROOT));
    }

    /** The next {@code count} requests are throttled with this status; retryAfterSeconds < 0 sends no Retry-After. */
    void throttleNext(int count, int status, int retryAfterSeconds) {
        for (int i = 0; i < count; i++) {
            throttles.add(new int[] {status, retryAfterSeconds});
        }
    }

    /** nextLinks point at this host instead of the simulator's own (the port stays). */
    void nextLinksOnHost(String host) {
        this.nextLinkHost = host;
    }

    private final AtomicInteger failingPatches = new AtomicInteger();

    /** The next {@code count} PATCH requests fail with 500 (Graph's ErrorInternalServerError). */
    void failNextPatches(int count) {
        failingPatches.set(count);
    }

    /** PATCH requests wait at the simulator until {@link #releasePatches()}. */
    void holdPatches() {
        patchGate = new CountDownLatch(1);
    }

    void releasePatches() {
        patchGate.countDown();
    }

    /** PATCH requests arrived and not yet answered (while held). */
    int patchesInFlight() {
        return patchesInFlight.get();
    }

    @Override
    public void close() {
        server.stop();
        notifier.shutdownNow();
    }

    public static final class Mailbox {
        final Map<String, Folder> folders = new ConcurrentHashMap<>();
        final Map<String, Message> messages = new ConcurrentHashMap<>();
        /** Messages deleted or moved away: id → (folder it left, change number), for delta's @removed. */
        final Map<String, long[]> removed = new ConcurrentHashMap<>();

        final Map<String, String> removedFrom = new ConcurrentHashMap<>();
        private final Consumer<Message> onCreated;
        private int sequence;
        /** The mailbox's change counter: every create, update and delete gets the next number (delta's state). */
        private final AtomicLong changes = new AtomicLong();

        Mailbox(Consumer<Message> onCreated) {
            this.onCreated = onCreated;
            for (String wk : List.of("Inbox", "Archive", "Deleted Items", "Junk Email", "Sent Items", "Drafts")) {
                folder(wk.replace(" ", "").toLowerCase(Locale.ROOT), wk, null);
            }
        }

        synchronized Folder folder(String wellKnown, String displayName, Folder parent) {
            Folder f = new Folder(
                    "AAMkAGFolder" + (++sequence) + "-" + displayName.hashCode() + "AAA=",
                    displayName,
                    wellKnown,
                    parent == null ? null : parent.id);
            folders.put(f.id, f);
            return f;
        }

        public Folder wellKnown(String name) {
            return folders.values().stream()
                    .filter(f -> name.equalsIgnoreCase(f.wellKnown))
                    .findFirst()
                    .orElse(null);
        }

        public synchronized Message add(Folder folder, String subject, Instant received) {
            int n = ++sequence;
            String internetId = "<msg" + n + "@sender.example>";
            String mime = "Received: from mx.sender.example by outlook.office365.com\r\n"
                    + "From: Reporter <reporter@sender.example>\r\nTo: soc@contoso.example\r\nSubject: " + subject
                    + "\r\n"
                    + "Message-ID: " + internetId + "\r\nDate: Fri, 27 Nov 2026 02:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\nBody of " + subject + "\r\n";
            Message m = new Message(
                    "AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A" + n + "_imm-AAA=", folder.id, internetId, received, mime);
            m.changed = changes.incrementAndGet();
            messages.put(m.id, m);
            onCreated.accept(m);
            return m;
        }

        /** The message is deleted (or moved to another folder): delta reports it @removed. */
        public void remove(Message m) {
            if (messages.remove(m.id) != null) {
                removed.put(m.id, new long[] {changes.incrementAndGet()});
                removedFrom.put(m.id, m.folderId);
            }
        }

        /** Someone changed the message's read state in Outlook (an update delta reports). */
        public void setRead(Message m, boolean read) {
            m.read = read;
            m.changed = changes.incrementAndGet();
        }

        long changeNumber() {
            return changes.get();
        }

        void touched(Message m) {
            m.changed = changes.incrementAndGet();
        }

        Message message(String id) {
            return messages.get(id);
        }
    }

    public record Folder(String id, String displayName, String wellKnown, String parentId) {}

    public static final class Message {
        final String id;
        final String folderId;
        final String internetMessageId;
        final Instant received;
        final String mime;
        public volatile boolean read;
        /** The mailbox's change number of the last create or update. */
        volatile long changed;

        Message(String id, String folderId, String internetMessageId, Instant received, String mime) {
            this.id = id;
            this.folderId = folderId;
            this.internetMessageId = internetMessageId;
            this.received = received;
            this.mime = mime;
        }
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "graph";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var request = event.getRequest();
            int[] throttle = throttles.poll();
            if (throttle != null) {
                var response = aResponse().withStatus(throttle[0]).withHeader("Content-Type", "application/json");
                if (throttle[1] >= 0) {
                    response.withHeader("Retry-After", String.valueOf(throttle[1]));
                }
                return response.withBody(error("TooManyRequests", "Application is over its MailboxConcurrency limit."))
                        .build();
            }
            String auth = request.getHeader("Authorization");
            if (auth == null
                    || !auth.startsWith("Bearer ")
                    || !(acceptedTokens.contains(auth.substring(7)) || issuer.test(auth.substring(7)))) {
                return json(401, error("InvalidAuthenticationToken", "Access token has expired or is not yet valid."));
            }
            URI uri = URI.create(request.getUrl());
            Map<String, String> query = query(uri.getRawQuery());
            List<String> path = new ArrayList<>();
            for (String s : uri.getRawPath().split("/")) {
                if (!s.isEmpty()) {
                    path.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
                }
            }
            path.remove(0); // v1.0
            String account = accountOfToken.apply(auth.substring(7));
            account = account == null ? null : account.toLowerCase(Locale.ROOT);
            if (!path.isEmpty() && path.get(0).equals("subscriptions")) {
                return subscriptions(request.getMethod().getName(), path, request.getBodyAsString(), account);
            }
            String mailboxKey;
            if (path.get(0).equals("me")) {
                mailboxKey = account != null ? account : "me";
                path.remove(0);
                if (account != null
                        && path.isEmpty()
                        && request.getMethod().getName().equals("GET")) {
                    ObjectNode me = JSON.createObjectNode();
                    me.put(
                            "id",
                            UUID.nameUUIDFromBytes(account.getBytes(StandardCharsets.UTF_8))
                                    .toString());
                    me.put("userPrincipalName", account);
                    me.put("mail", account);
                    return json(200, me.toString());
                }
            } else if (path.get(0).equals("users") && path.size() > 1) {
                mailboxKey = path.get(1).toLowerCase(Locale.ROOT);
                path.subList(0, 2).clear();
                if (account != null
                        && !account.equals(mailboxKey)
                        && !fullAccess.getOrDefault(mailboxKey, Set.of()).contains(account)) {
                    return json(403, error("ErrorAccessDenied", "Access is denied. Check credentials and try again."));
                }
            } else {
                return json(400, error("BadRequest", "Resource not found for the segment '" + path.get(0) + "'."));
            }
            if (deniedMailboxes.contains(mailboxKey)) {
                return json(403, error("ErrorAccessDenied", "Access is denied. Check credentials and try again."));
            }
            Mailbox mailbox = mailboxes.get(mailboxKey);
            if (mailbox == null) {
                return json(404, error("ErrorInvalidUser", "The requested user '" + mailboxKey + "' is invalid."));
            }
            String method = request.getMethod().getName();
            if (path.size() >= 1 && path.get(0).equals("mailFolders")) {
                var prefer = request.getHeaders().getHeader("Prefer");
                return folders(mailbox, path, query, uri, prefer.isPresent() ? prefer.values() : List.of());
            }
            if (path.size() >= 2 && path.get(0).equals("messages")) {
                Message m = mailbox.message(path.get(1));
                if (m == null) {
                    return json(404, error("ErrorItemNotFound", "The specified object was not found in the store."));
                }
                if (path.size() == 3 && path.get(2).equals("$value") && method.equals("GET")) {
                    return aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "text/plain")
                            .withBody(m.mime)
                            .build();
                }
                if (path.size() == 2 && method.equals("PATCH")) {
                    if (failingPatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return json(
                                500,
                                error(
                                        "ErrorInternalServerError",
                                        "An internal server error occurred. The operation failed."));
                    }
                    var gate = patchGate;
                    if (gate != null) {
                        patchesInFlight.incrementAndGet();
                        try {
                            gate.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            patchesInFlight.decrementAndGet();
                        }
                    }
                    try {
                        var body = JSON.readTree(request.getBodyAsString());
                        if (body.has("isRead")) {
                            m.read = body.get("isRead").asBoolean();
                            mailbox.touched(m);
                        }
                    } catch (Exception e) {
                        return json(400, error("RequestBodyRead", "Invalid JSON"));
                    }
                    return json(200, messageJson(m).toString());
                }
            }
            return json(400, error("BadRequest", "Unsupported request " + method + " " + uri.getPath()));
        }
    }

    private ResponseDefinition folders(
            Mailbox mailbox, List<String> path, Map<String, String> query, URI uri, List<String> prefer) {
        if (path.size() == 1) {
            return folderList(
                    mailbox,
                    mailbox.folders.values().stream()
                            .filter(f -> f.parentId == null)
                            .toList(),
                    query);
        }
        String ref = path.get(1);
        Folder folder = mailbox.folders.get(ref);
        if (folder == null) {
            folder = mailbox.wellKnown(ref);
        }
        if (folder == null) {
            return json(404, error("ErrorItemNotFound", "The specified object was not found in the store."));
        }
        if (path.size() == 2) {
            return json(200, folderJson(mailbox, folder).toString());
        }
        Folder parent = folder;
        if (path.get(2).equals("childFolders")) {
            return folderList(
                    mailbox,
                    mailbox.folders.values().stream()
                            .filter(f -> parent.id.equals(f.parentId))
                            .toList(),
                    query);
        }
        if (path.get(2).equals("messages") && path.size() == 4 && path.get(3).equals("delta")) {
            return delta(mailbox, parent, query, uri, prefer);
        }
        if (path.get(2).equals("messages")) {
            return messages(mailbox, parent, query, uri);
        }
        return json(400, error("BadRequest", "Unsupported segment " + path.get(2)));
    }

    private ResponseDefinition folderList(Mailbox owner, List<Folder> folders, Map<String, String> query) {
        String filter = query.get("$filter");
        List<Folder> result = folders;
        if (filter != null) {
            Matcher m = FILTER_NAME.matcher(filter);
            if (!m.matches()) {
                return json(
                        400,
                        error("ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes."));
            }
            String name = m.group(1).replace("''", "'");
            result = folders.stream()
                    .filter(f -> f.displayName.equalsIgnoreCase(name))
                    .toList();
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (Folder f : result) {
            value.add(folderJson(owner, f));
        }
        return json(200, body.toString());
    }

    private static ObjectNode folderJson(Mailbox mailbox, Folder f) {
        ObjectNode node = JSON.createObjectNode().put("id", f.id).put("displayName", f.displayName);
        if (f.parentId != null) {
            node.put("parentFolderId", f.parentId);
        }
        if (mailbox != null) {
            node.put(
                    "unreadItemCount",
                    mailbox.messages.values().stream()
                            .filter(m -> m.folderId.equals(f.id) && !m.read)
                            .count());
        }
        return node;
    }

    private ResponseDefinition messages(Mailbox mailbox, Folder folder, Map<String, String> query, URI uri) {
        String filter = query.getOrDefault("$filter", "");
        String orderBy = query.get("$orderby");
        if (orderBy != null && !filter.isEmpty()) {
            String property = orderBy.split(" ")[0];
            if (!filter.startsWith(property)) {
                return json(
                        400,
                        error("InefficientFilter", "The restriction or sort order is too complex for this operation."));
            }
        }
        boolean unreadOnly = filter.contains("isRead eq false");
        List<Message> all = mailbox.messages.values().stream()
                .filter(m -> m.folderId.equals(folder.id) && (!unreadOnly || !m.read))
                .sorted(Comparator.comparing((Message m) -> m.received))
                .toList();
        int top = Integer.parseInt(query.getOrDefault("$top", "10"));
        int skip = Integer.parseInt(query.getOrDefault("$skip", "0"));
        ObjectNode body = JSON.createObjectNode();
        body.put(
                "@odata.context",
                "https://graph.microsoft.com/v1.0/$metadata#users('x')/mailFolders('" + folder.id + "')/messages");
        ArrayNode value = body.putArray("value");
        for (Message m : all.subList(Math.min(skip, all.size()), Math.min(skip + top, all.size()))) {
            ObjectNode node = JSON.createObjectNode();
            node.put("@odata.etag", "W/\"CQAAABYAAAC\"");
            node.put("id", m.id);
            node.put("receivedDateTime", m.received.toString());
            node.put("internetMessageId", m.internetMessageId);
            value.add(node);
        }
        if (skip + top < all.size()) {
            String host = nextLinkHost != null ? nextLinkHost : "localhost";
            String raw = uri.getRawQuery().replaceAll("&?\\$skip=\\d+", "");
            body.put(
                    "@odata.nextLink",
                    (https ? "https://" : "http://") + host + ":" + port() + uri.getRawPath() + "?" + raw + "&$skip="
                            + (skip + top));
        }
        return json(200, body.toString());
    }

    // ---- delta query ----

    /** What a round of delta pages is: its entries (message ids) fixed when the round began, and its end. */
    private record Round(String folderId, List<String> ids, long upTo, int epoch) {}

    private final Map<String, Round> rounds = new ConcurrentHashMap<>();
    private final AtomicInteger deltaEpoch = new AtomicInteger();

    /** Graph drops its sync states: every delta link given so far answers 410 SyncStateNotFound. */
    public void expireDeltaLinks() {
        deltaEpoch.incrementAndGet();
        rounds.clear();
    }

    private ResponseDefinition delta(
            Mailbox mailbox, Folder folder, Map<String, String> query, URI uri, List<String> prefer) {
        int pageSize = 10; // Graph's default for messages
        for (String value : prefer) {
            for (String preference : value.split(",")) {
                String p = preference.trim();
                if (p.startsWith("odata.maxpagesize=")) {
                    pageSize = Integer.parseInt(p.substring("odata.maxpagesize=".length()));
                }
            }
        }
        String skipToken = query.get("$skiptoken");
        String deltaToken = query.get("$deltatoken");
        String select = query.getOrDefault("$select", "");
        String roundId;
        int offset;
        if (skipToken != null) {
            String[] parts = skipToken.split("\\.");
            roundId = parts[0];
            offset = Integer.parseInt(parts[1]);
            if (!rounds.containsKey(roundId)) {
                return json(
                        410,
                        error(
                                "SyncStateNotFound",
                                "The sync state generation is not found. The delta token is"
                                        + " expired and data must be synchronized again."));
            }
        } else {
            long since = 0;
            if (deltaToken != null) {
                String[] parts = deltaToken.split("\\.");
                if (parts.length != 2 || Integer.parseInt(parts[0]) != deltaEpoch.get()) {
                    return json(
                            410,
                            error(
                                    "SyncStateNotFound",
                                    "The sync state generation is not found. The delta token"
                                            + " is expired and data must be synchronized again."));
                }
                since = Long.parseLong(parts[1]);
            }
            long upTo = mailbox.changeNumber();
            long from = since;
            List<String> ids = new ArrayList<>();
            mailbox.messages.values().stream()
                    .filter(m -> m.folderId.equals(folder.id) && m.changed > from && m.changed <= upTo)
                    .sorted(Comparator.comparingLong((Message m) -> m.changed))
                    .forEach(m -> ids.add(m.id));
            if (deltaToken != null) {
                mailbox.removed.forEach((id, at) -> {
                    if (at[0] > from && at[0] <= upTo && folder.id.equals(mailbox.removedFrom.get(id))) {
                        ids.add(id);
                    }
                });
            }
            roundId = UUID.randomUUID().toString().replace("-", "");
            rounds.put(roundId, new Round(folder.id, ids, upTo, deltaEpoch.get()));
            offset = 0;
        }
        Round round = rounds.get(roundId);
        ObjectNode body = JSON.createObjectNode();
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#Collection(message)");
        ArrayNode value = body.putArray("value");
        int end = Math.min(round.ids().size(), offset + pageSize);
        for (String id : round.ids().subList(offset, end)) {
            Message m = mailbox.messages.get(id);
            if (m == null || !m.folderId.equals(round.folderId())) {
                ObjectNode gone = JSON.createObjectNode();
                gone.put("@odata.type", "#microsoft.graph.message");
                gone.put("id", id);
                gone.putObject("@removed").put("reason", "deleted");
                value.add(gone);
                continue;
            }
            ObjectNode node = JSON.createObjectNode();
            node.put("@odata.type", "#microsoft.graph.message");
            node.put("@odata.etag", "W/\"CQAAABYAAAC" + m.changed + "\"");
            node.put("id", m.id);
            if (select.isEmpty() || select.contains("receivedDateTime")) {
                node.put("receivedDateTime", m.received.toString());
            }
            if (select.isEmpty() || select.contains("internetMessageId")) {
                node.put("internetMessageId", m.internetMessageId);
            }
            if (select.isEmpty() || select.contains("isRead")) {
                node.put("isRead", m.read);
            }
            value.add(node);
        }
        String base = (https ? "https://" : "http://") + "localhost:" + port() + uri.getRawPath() + "?";
        if (end < round.ids().size()) {
            body.put("@odata.nextLink", base + "$skiptoken=" + roundId + "." + end);
        } else {
            rounds.remove(roundId);
            body.put("@odata.deltaLink", base + "$deltatoken=" + round.epoch() + "." + round.upTo());
        }
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json;odata.metadata=minimal")
                .withHeader("Preference-Applied", "odata.maxpagesize=" + pageSize)
                .withBody(body.toString())
                .build();
    }

    // ---- subscriptions and notifications ----

    /** A subscription as Graph keeps it. */
    public static final class Subscription {
        public final String id;
        final String mailboxKey;
        final String folderId;
        final String changeType;
        public final String notificationUrl;
        public final String lifecycleNotificationUrl;
        public final String clientState;
        public volatile Instant expiration;

        Subscription(
                String id,
                String mailboxKey,
                String folderId,
                String changeType,
                String notificationUrl,
                String lifecycleNotificationUrl,
                String clientState,
                Instant expiration) {
            this.id = id;
            this.mailboxKey = mailboxKey;
            this.folderId = folderId;
            this.changeType = changeType;
            this.notificationUrl = notificationUrl;
            this.lifecycleNotificationUrl = lifecycleNotificationUrl;
            this.clientState = clientState;
            this.expiration = expiration;
        }
    }

    private static final Pattern RESOURCE =
            Pattern.compile("/?(me|users/([^/]+))/mail[Ff]olders(?:\\('([^']+)'\\)|/([^/]+))/messages");
    private static final Duration MAX_SUBSCRIPTION = Duration.ofMinutes(4230);
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final List<String> subscriptionLog = new CopyOnWriteArrayList<>();
    private final List<Integer> notificationAnswers = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "graph-simulator-notifier");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient callbacks =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile boolean httpNotificationUrls;

    private volatile boolean notificationsHeld;
    private volatile boolean unreachableSubscriber;

    /** New messages are not notified (as when Graph's notification is lost) until {@link #sendNotifications}. */
    public void holdNotifications() {
        notificationsHeld = true;
    }

    public void sendNotifications() {
        notificationsHeld = false;
    }

    private volatile Duration grantedLifetime;

    /** Subscriptions end this soon at most, whatever was asked (Graph may grant less than asked for). */
    public void grantSubscriptionsFor(Duration lifetime) {
        grantedLifetime = lifetime;
    }

    /** The validation request does not reach the subscriber (a firewall, a wrong public URL). */
    public void subscriberUnreachable(boolean unreachable) {
        unreachableSubscriber = unreachable;
    }

    /** Accept http:// notification URLs (a test's local server); Graph itself takes HTTPS only. */
    public void allowHttpNotificationUrls() {
        httpNotificationUrls = true;
    }

    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** "POST id", "PATCH id", "DELETE id", "REFUSED reason" in the order they came. */
    public List<String> subscriptionLog() {
        return subscriptionLog;
    }

    /** The HTTP statuses the subscriber answered notifications with. */
    public List<Integer> notificationAnswers() {
        return notificationAnswers;
    }

    /** Graph removes the subscription by itself (as it does on a revoked grant, say), without telling. */
    public void dropSubscription(String id) {
        subscriptions.remove(id);
    }

    private ResponseDefinition subscriptions(String method, List<String> path, String body, String account) {
        try {
            if (method.equals("POST") && path.size() == 1) {
                return createSubscription(JSON.readTree(body), account);
            }
            Subscription existing = path.size() >= 2 ? subscriptions.get(path.get(1)) : null;
            if (existing == null) {
                return json(404, error("ResourceNotFound", "The object was not found."));
            }
            if (method.equals("PATCH") && path.size() == 2) {
                Instant until = Instant.parse(
                        JSON.readTree(body).path("expirationDateTime").asText());
                if (until.isAfter(Instant.now().plus(MAX_SUBSCRIPTION).plusSeconds(60))
                        || until.isBefore(Instant.now())) {
                    return json(
                            400,
                            error("InvalidRequest", "Subscription expiration can only be 4230 minutes in the future."));
                }
                existing.expiration = granted(until);
                subscriptionLog.add("PATCH " + existing.id);
                return json(200, subscriptionJson(existing).toString());
            }
            if (method.equals("DELETE") && path.size() == 2) {
                subscriptions.remove(existing.id);
                subscriptionLog.add("DELETE " + existing.id);
                return aResponse().withStatus(204).build();
            }
        } catch (Exception e) {
            return json(400, error("BadRequest", "Invalid request body: " + e.getMessage()));
        }
        return json(405, error("MethodNotAllowed", "Unsupported " + method));
    }

    private ResponseDefinition createSubscription(JsonNode body, String account) {
        String resource = body.path("resource").asText("");
        Matcher m = RESOURCE.matcher(resource);
        if (!m.matches()) {
            return refused(400, "InvalidRequest", "Invalid resource '" + resource + "'.");
        }
        String mailboxKey = m.group(2) != null ? m.group(2).toLowerCase(Locale.ROOT) : account != null ? account : "me";
        Mailbox mailbox = mailboxes.get(mailboxKey);
        if (mailbox == null) {
            return refused(404, "ErrorInvalidUser", "The requested user '" + mailboxKey + "' is invalid.");
        }
        String folderRef = m.group(3) != null ? m.group(3) : m.group(4);
        Folder folder =
                mailbox.folders.containsKey(folderRef) ? mailbox.folders.get(folderRef) : mailbox.wellKnown(folderRef);
        if (folder == null) {
            return refused(404, "ErrorItemNotFound", "The specified object was not found in the store.");
        }
        String changeType = body.path("changeType").asText("");
        if (changeType.isEmpty()
                || !Set.of("created", "updated", "deleted").containsAll(List.of(changeType.split(",")))) {
            return refused(400, "InvalidRequest", "Invalid changeType '" + changeType + "'.");
        }
        String notificationUrl = body.path("notificationUrl").asText("");
        String lifecycleUrl = body.path("lifecycleNotificationUrl").asText(null);
        for (String url : lifecycleUrl == null ? List.of(notificationUrl) : List.of(notificationUrl, lifecycleUrl)) {
            if (!url.startsWith("https://") && !(httpNotificationUrls && url.startsWith("http://"))) {
                return refused(400, "InvalidRequest", "The notification URL must use HTTPS: '" + url + "'.");
            }
        }
        String clientState = body.path("clientState").asText(null);
        if (clientState != null && clientState.length() > 128) {
            return refused(400, "InvalidRequest", "clientState is longer than 128 characters.");
        }
        Instant expiration;
        try {
            expiration = Instant.parse(body.path("expirationDateTime").asText());
        } catch (RuntimeException e) {
            return refused(400, "InvalidRequest", "Invalid expirationDateTime.");
        }
        if (expiration.isAfter(Instant.now().plus(MAX_SUBSCRIPTION).plusSeconds(60))
                || expiration.isBefore(Instant.now())) {
            return refused(400, "InvalidRequest", "Subscription expiration can only be 4230 minutes in the future.");
        }
        // Graph validates every URL before it creates the subscription: the token must come back, as text, in 10 s
        for (String url : lifecycleUrl == null ? List.of(notificationUrl) : List.of(notificationUrl, lifecycleUrl)) {
            if (!validated(url)) {
                return refused(
                        400,
                        "InvalidRequest",
                        "Subscription validation request failed. Notification endpoint"
                                + " must respond with 200 OK to validation request.");
            }
        }
        Subscription s = new Subscription(
                UUID.randomUUID().toString(),
                mailboxKey,
                folder.id,
                changeType,
                notificationUrl,
                lifecycleUrl,
                clientState,
                granted(expiration));
        subscriptions.put(s.id, s);
        subscriptionLog.add("POST " + s.id);
        return json(201, subscriptionJson(s).toString());
    }

    private Instant granted(Instant asked) {
        Duration cap = grantedLifetime;
        Instant most = cap == null ? null : Instant.now().plus(cap);
        return most != null && most.isBefore(asked) ? most : asked;
    }

    private ResponseDefinition refused(int status, String code, String message) {
        subscriptionLog.add("REFUSED " + message);
        return json(status, error(code, message));
    }

    private boolean validated(String url) {
        if (unreachableSubscriber) {
            return false;
        }
        String token =
                "Validation: Testing client application reachability for subscription Request-Id: " + UUID.randomUUID();
        try {
            var response = callbacks.send(
                    HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?") + "validationToken="
                                    + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "text/plain; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            return response.statusCode() == 200 && type.startsWith("text/plain") && token.equals(response.body());
        } catch (Exception e) {
            return false;
        }
    }

    private static ObjectNode subscriptionJson(Subscription s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity");
        node.put("id", s.id);
        node.put("resource", "me/mailFolders('" + s.folderId + "')/messages");
        node.put("applicationId", "24d3b144-21ae-4080-943f-7067b395b913");
        node.put("changeType", s.changeType);
        node.put("clientState", s.clientState);
        node.put("notificationUrl", s.notificationUrl);
        node.put("lifecycleNotificationUrl", s.lifecycleNotificationUrl);
        node.put("expirationDateTime", s.expiration.toString());
        node.put("creatorId", "8ee44408-0679-472c-bc2a-692812af3437");
        node.put("latestSupportedTlsVersion", "v1_2");
        return node;
    }

    /** A message arrived: each subscription on its folder is notified (created), as Graph does, a moment later. */
    private void created(String mailboxKey, Message m) {
        if (notificationsHeld) {
            return;
        }
        for (Subscription s : subscriptions.values()) {
            if (s.mailboxKey.equals(mailboxKey)
                    && s.folderId.equals(m.folderId)
                    && s.changeType.contains("created")
                    && s.expiration.isAfter(Instant.now())) {
                ObjectNode item = JSON.createObjectNode();
                item.put("subscriptionId", s.id);
                item.put("subscriptionExpirationDateTime", s.expiration.toString());
                item.put("changeType", "created");
                item.put("resource", "Users/" + mailboxKey + "/Messages/" + m.id);
                ObjectNode data = item.putObject("resourceData");
                data.put("@odata.type", "#Microsoft.Graph.Message");
                data.put("@odata.id", "Users/" + mailboxKey + "/Messages/" + m.id);
                data.put("@odata.etag", "W/\"CQAAABYAAAC\"");
                data.put("id", m.id);
                item.put("clientState", s.clientState);
                item.put("tenantId", "84bd8158-6d4d-4958-8b9f-9d6445542f95");
                ObjectNode payload = JSON.createObjectNode();
                payload.putArray("value").add(item);
                notifier.execute(() -> notificationAnswers.add(post(s.notificationUrl, payload.toString())));
            }
        }
    }

    /** Posts a lifecycle notification (reauthorizationRequired, subscriptionRemoved, missed); the subscriber's status. */
    public int sendLifecycle(String subscriptionId, String event) {
        Subscription s = subscriptions.get(subscriptionId);
        if (s == null || s.lifecycleNotificationUrl == null) {
            throw new IllegalStateException("no subscription " + subscriptionId + " with a lifecycle URL");
        }
        if (event.equals("subscriptionRemoved")) {
            subscriptions.remove(subscriptionId);
        }
        ObjectNode item = JSON.createObjectNode();
        item.put("subscriptionId", s.id);
        item.put("subscriptionExpirationDateTime", s.expiration.toString());
        item.put("tenantId", "84bd8158-6d4d-4958-8b9f-9d6445542f95");
        item.put("clientState", s.clientState);
        item.put("lifecycleEvent", event);
        ObjectNode payload = JSON.createObjectNode();
        payload.putArray("value").add(item);
        return post(s.lifecycleNotificationUrl, payload.toString());
    }

    private int post(String url, String json) {
        try {
            return callbacks
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(3))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private static ObjectNode messageJson(Message m) {
        return JSON.createObjectNode()
                .put("id", m.id)
                .put("isRead", m.read)
                .put("internetMessageId", m.internetMessageId);
    }

    private static String error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.putObject("innerError")
                .put("date", "2026-11-27T02:10:11")
                .put("request-id", "6d3a5c1e-0000-4000-8000-000000000000")
                .put("client-request-id", "6d3a5c1e-0000-4000-8000-000000000000");
        return body.toString();
    }

    private static ResponseDefinition json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader(
                        "Content-Type",
                        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
                .withBody(body)
                .build();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }
}
