package io.mailgate.component.msgraph;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Microsoft Graph v1.0 mail simulator after Microsoft's documentation: mailFolders (well-known
 * names, $filter on displayName, childFolders), list messages ($filter, $select, $orderby, $top,
 * nextLink with $skip, and the InefficientFilter rule for $filter with $orderby), the MIME of a
 * message ($value), PATCH isRead, bearer tokens (401), access denied (403), unknown users (404) and
 * throttling (429/503/504 with or without Retry-After).
 */
public final class GraphSimulator implements AutoCloseable {

    static final String TOKEN = "graph-access-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FILTER_NAME = Pattern.compile("displayName eq '((?:[^']|'')*)'");

    private final WireMockServer server;
    private final Set<String> acceptedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Set<String> deniedMailboxes = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<int[]> throttles = new ConcurrentLinkedQueue<>();
    private final boolean https;
    private final java.util.concurrent.atomic.AtomicInteger patchesInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.util.concurrent.CountDownLatch patchGate;
    private volatile String nextLinkHost;
    private volatile java.util.function.Predicate<String> issuer = t -> false;
    private volatile java.util.function.Function<String, String> accountOfToken = t -> null;
    private final Map<String, Set<String>> fullAccess = new ConcurrentHashMap<>();

    public GraphSimulator() {
        this(null);
    }

    /** Served over HTTPS only, with the certificate of this PKCS#12 keystore, when one is given. */
    GraphSimulator(ServerCertificate tls) {
        this.https = tls != null;
        server = new WireMockServer(tls == null ? options().dynamicPort().extensions(new Transformer())
                : options().httpDisabled(true).dynamicHttpsPort().keystoreType("PKCS12")
                        .keystorePath(tls.keystore.toString()).keystorePassword(ServerCertificate.PASSWORD)
                        .keyManagerPassword(ServerCertificate.PASSWORD).extensions(new Transformer()));
        server.start();
        server.stubFor(any(urlPathMatching("/v1.0/.*")).willReturn(aResponse().withTransformers("graph")));
        acceptedTokens.add(TOKEN);
    }

    public String baseUrl() {
        return (https ? "https" : "http") + "://localhost:" + port();
    }

    int port() {
        return https ? server.httpsPort() : server.port();
    }

    public WireMockServer server() {
        return server;
    }

    void acceptToken(String token) {
        acceptedTokens.add(token);
    }

    /** Also accept tokens this predicate knows, e.g. those an Entra simulator issued. */
    public void acceptTokens(java.util.function.Predicate<String> issuer) {
        this.issuer = issuer;
    }

    /**
     * Tokens name their account, as Graph knows it from the token: /me is that account's own mailbox (its address as
     * the key), GET /me describes it, and /users/{other} needs full access to the other mailbox. Tokens without an
     * account (app-only) reach every mailbox, as application permissions do.
     */
    public void identifyAccounts(java.util.function.Function<String, String> accountOfToken) {
        this.accountOfToken = accountOfToken;
    }

    /** {@code account} has full access to {@code mailbox} (Add-MailboxPermission), so it may read it as a delegate. */
    public void grantFullAccess(String mailbox, String account) {
        fullAccess.computeIfAbsent(mailbox.toLowerCase(Locale.ROOT), k -> ConcurrentHashMap.newKeySet())
                .add(account.toLowerCase(Locale.ROOT));
    }

    /** "me" or a shared mailbox's address. */
    public Mailbox mailbox(String key) {
        return mailboxes.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new Mailbox());
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

    private final java.util.concurrent.atomic.AtomicInteger failingPatches = new java.util.concurrent.atomic.AtomicInteger();

    /** The next {@code count} PATCH requests fail with 500 (Graph's ErrorInternalServerError). */
    void failNextPatches(int count) {
        failingPatches.set(count);
    }

    /** PATCH requests wait at the simulator until {@link #releasePatches()}. */
    void holdPatches() {
        patchGate = new java.util.concurrent.CountDownLatch(1);
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
    }

    public static final class Mailbox {
        final Map<String, Folder> folders = new ConcurrentHashMap<>();
        final Map<String, Message> messages = new ConcurrentHashMap<>();
        private int sequence;

        Mailbox() {
            for (String wk : List.of("Inbox", "Archive", "Deleted Items", "Junk Email", "Sent Items", "Drafts")) {
                folder(wk.replace(" ", "").toLowerCase(Locale.ROOT), wk, null);
            }
        }

        synchronized Folder folder(String wellKnown, String displayName, Folder parent) {
            Folder f = new Folder("AAMkAGFolder" + (++sequence) + "-" + displayName.hashCode() + "AAA=", displayName, wellKnown,
                    parent == null ? null : parent.id);
            folders.put(f.id, f);
            return f;
        }

        public Folder wellKnown(String name) {
            return folders.values().stream().filter(f -> name.equalsIgnoreCase(f.wellKnown)).findFirst().orElse(null);
        }

        public synchronized Message add(Folder folder, String subject, Instant received) {
            int n = ++sequence;
            String internetId = "<msg" + n + "@sender.example>";
            String mime = "Received: from mx.sender.example by outlook.office365.com\r\n"
                    + "From: Reporter <reporter@sender.example>\r\nTo: soc@contoso.example\r\nSubject: " + subject + "\r\n"
                    + "Message-ID: " + internetId + "\r\nDate: Fri, 27 Nov 2026 02:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n\r\nBody of " + subject + "\r\n";
            Message m = new Message("AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A" + n + "_imm-AAA=", folder.id, internetId, received, mime);
            messages.put(m.id, m);
            return m;
        }

        Message message(String id) {
            return messages.get(id);
        }
    }

    public record Folder(String id, String displayName, String wellKnown, String parentId) {
    }

    public static final class Message {
        final String id;
        final String folderId;
        final String internetMessageId;
        final Instant received;
        final String mime;
        public volatile boolean read;

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
                return response.withBody(error("TooManyRequests", "Application is over its MailboxConcurrency limit.")).build();
            }
            String auth = request.getHeader("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !(acceptedTokens.contains(auth.substring(7)) || issuer.test(auth.substring(7)))) {
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
            String mailboxKey;
            if (path.get(0).equals("me")) {
                mailboxKey = account != null ? account : "me";
                path.remove(0);
                if (account != null && path.isEmpty() && request.getMethod().getName().equals("GET")) {
                    ObjectNode me = JSON.createObjectNode();
                    me.put("id", java.util.UUID.nameUUIDFromBytes(account.getBytes(StandardCharsets.UTF_8)).toString());
                    me.put("userPrincipalName", account);
                    me.put("mail", account);
                    return json(200, me.toString());
                }
            } else if (path.get(0).equals("users") && path.size() > 1) {
                mailboxKey = path.get(1).toLowerCase(Locale.ROOT);
                path.subList(0, 2).clear();
                if (account != null && !account.equals(mailboxKey)
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
                return folders(mailbox, path, query, uri);
            }
            if (path.size() >= 2 && path.get(0).equals("messages")) {
                Message m = mailbox.message(path.get(1));
                if (m == null) {
                    return json(404, error("ErrorItemNotFound", "The specified object was not found in the store."));
                }
                if (path.size() == 3 && path.get(2).equals("$value") && method.equals("GET")) {
                    return aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody(m.mime).build();
                }
                if (path.size() == 2 && method.equals("PATCH")) {
                    if (failingPatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return json(500, error("ErrorInternalServerError", "An internal server error occurred. The operation failed."));
                    }
                    var gate = patchGate;
                    if (gate != null) {
                        patchesInFlight.incrementAndGet();
                        try {
                            gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
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

    private ResponseDefinition folders(Mailbox mailbox, List<String> path, Map<String, String> query, URI uri) {
        if (path.size() == 1) {
            return folderList(mailbox, mailbox.folders.values().stream().filter(f -> f.parentId == null).toList(), query);
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
            return folderList(mailbox, mailbox.folders.values().stream().filter(f -> parent.id.equals(f.parentId)).toList(), query);
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
                return json(400, error("ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes."));
            }
            String name = m.group(1).replace("''", "'");
            result = folders.stream().filter(f -> f.displayName.equalsIgnoreCase(name)).toList();
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
            node.put("unreadItemCount", mailbox.messages.values().stream().filter(m -> m.folderId.equals(f.id) && !m.read).count());
        }
        return node;
    }

    private ResponseDefinition messages(Mailbox mailbox, Folder folder, Map<String, String> query, URI uri) {
        String filter = query.getOrDefault("$filter", "");
        String orderBy = query.get("$orderby");
        if (orderBy != null && !filter.isEmpty()) {
            String property = orderBy.split(" ")[0];
            if (!filter.startsWith(property)) {
                return json(400, error("InefficientFilter", "The restriction or sort order is too complex for this operation."));
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
        body.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users('x')/mailFolders('" + folder.id + "')/messages");
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
            body.put("@odata.nextLink", (https ? "https://" : "http://") + host + ":" + port() + uri.getRawPath() + "?" + raw + "&$skip=" + (skip + top));
        }
        return json(200, body.toString());
    }

    private static ObjectNode messageJson(Message m) {
        return JSON.createObjectNode().put("id", m.id).put("isRead", m.read).put("internetMessageId", m.internetMessageId);
    }

    private static String error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.putObject("innerError").put("date", "2026-11-27T02:10:11").put("request-id", "6d3a5c1e-0000-4000-8000-000000000000")
                .put("client-request-id", "6d3a5c1e-0000-4000-8000-000000000000");
        return body.toString();
    }

    private static ResponseDefinition json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
                .withBody(body).build();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }
}
