package io.mailgate.component.msgraph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPatch;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Microsoft Graph mail calls for one mailbox: resolve the folder, list unread messages, download a
 * message's MIME, mark it read, and the connection test. Every request carries
 * {@code Prefer: IdType="ImmutableId"} so a message keeps its id when moved, goes through the
 * mailbox's {@link MailboxThrottle}, and is refused while Graph has the mailbox throttled.
 */
public final class MsGraphMailClient {

    private static final Logger LOG = LoggerFactory.getLogger(MsGraphMailClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A JSON page or error body larger than this is not Graph's. */
    private static final int MAX_JSON = 16 * 1024 * 1024;

    private static final String IMMUTABLE_IDS = "IdType=\"ImmutableId\"";
    /** Folders Graph knows by name in every mailbox and locale. */
    private static final Set<String> WELL_KNOWN_FOLDERS = Set.of(
            "inbox",
            "archive",
            "clutter",
            "conflicts",
            "conversationhistory",
            "deleteditems",
            "drafts",
            "junkemail",
            "localfailures",
            "msgfolderroot",
            "outbox",
            "recoverableitemsdeletions",
            "scheduled",
            "searchfolders",
            "sentitems",
            "serverfailures",
            "syncissues");

    private final CloseableHttpClient http;
    private final URI baseUrl;
    private final String sharedMailbox;
    private final GraphTokenProvider tokens;
    private final MailboxThrottle throttle;
    private final Clock clock;

    /**
     * @param baseUrl Graph's endpoint, e.g. https://graph.microsoft.com (a cloud's, or a simulator's)
     * @param mailbox null or blank for the signed-in account (/me); else the shared mailbox's address
     *                (the part after the last backslash of "primary\shared" is taken)
     */
    public MsGraphMailClient(CloseableHttpClient http, String baseUrl, String mailbox, GraphTokenProvider tokens) {
        this(http, URI.create(baseUrl), mailbox, tokens, new MailboxThrottle(), Clock.systemUTC());
    }

    MsGraphMailClient(
            CloseableHttpClient http,
            URI baseUrl,
            String mailbox,
            GraphTokenProvider tokens,
            MailboxThrottle throttle,
            Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.baseUrl =
                URI.create(Objects.requireNonNull(baseUrl, "baseUrl").toString().replaceAll("/+$", ""));
        this.sharedMailbox = sharedMailbox(mailbox);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static String sharedMailbox(String mailbox) {
        if (mailbox == null || mailbox.isBlank()) {
            return null;
        }
        String m = mailbox.trim();
        return m.substring(m.lastIndexOf('\\') + 1);
    }

    /** "me", or the shared mailbox's address. */
    public String mailbox() {
        return sharedMailbox == null ? "me" : sharedMailbox;
    }

    /** When the mailbox may be asked again, or null when Graph is not throttling it. */
    Instant throttledUntil() {
        return throttle.throttledUntil();
    }

    private String mailboxPath() {
        return baseUrl + "/v1.0/" + (sharedMailbox == null ? "me" : "users/" + segment(sharedMailbox));
    }

    /** The account a delegated token belongs to, as Graph names it (GET /me). */
    public record SignedInUser(String id, String userPrincipalName, String mail) {

        /** Whether this is the account of {@code address} (its user principal name or primary SMTP address). */
        public boolean is(String address) {
            return address != null && (address.equalsIgnoreCase(userPrincipalName) || address.equalsIgnoreCase(mail));
        }
    }

    /** Who signed in: GET /me with the delegated token (User.Read). */
    public SignedInUser signedInUser() throws GraphException, GraphTokenException {
        JsonNode me = getJson(baseUrl + "/v1.0/me?$select=id,userPrincipalName,mail");
        return new SignedInUser(
                me.path("id").asText(null),
                me.path("userPrincipalName").asText(null),
                me.path("mail").asText(null));
    }

    // ---- folders ----

    /** A folder by well-known name ("Inbox") or by path of display names ("Inbox/Phishing", "Reports/2026"). */
    public GraphFolder resolveFolder(String folder) throws GraphException, GraphTokenException {
        String path = folder == null || folder.isBlank() ? "Inbox" : folder.trim();
        List<String> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isBlank()) {
                names.add(part.trim());
            }
        }
        if (names.isEmpty()) {
            names.add("Inbox");
        }
        String select = "$select=" + enc("id,displayName,unreadItemCount");
        GraphFolder current;
        String first = names.get(0);
        if (WELL_KNOWN_FOLDERS.contains(first.toLowerCase(Locale.ROOT))) {
            try {
                current = folder(
                        getJson(mailboxPath() + "/mailFolders/" + first.toLowerCase(Locale.ROOT) + "?" + select));
            } catch (GraphException e) {
                throw e.status() == 404 && !isMailboxMissing(e) ? folderNotFound(first, e) : e;
            }
        } else {
            current = child(mailboxPath() + "/mailFolders", first, select, path);
        }
        for (String name : names.subList(1, names.size())) {
            current = child(
                    mailboxPath() + "/mailFolders/" + segment(current.id()) + "/childFolders", name, select, path);
        }
        return current;
    }

    private GraphFolder child(String collection, String name, String select, String path)
            throws GraphException, GraphTokenException {
        String filter = "$filter=" + enc("displayName eq '" + name.replace("'", "''") + "'");
        JsonNode values = getJson(collection + "?" + filter + "&" + select).path("value");
        if (!values.isArray() || values.isEmpty()) {
            throw folderNotFound(path, null);
        }
        return folder(values.get(0));
    }

    private GraphException folderNotFound(String path, Throwable cause) {
        return new GraphException(
                404, "FolderNotFound", "folder '" + path + "' not found in mailbox " + mailbox(), cause);
    }

    private static GraphFolder folder(JsonNode json) {
        return new GraphFolder(
                json.path("id").asText(),
                json.path("displayName").asText(),
                json.path("unreadItemCount").asInt());
    }

    private static boolean isMailboxMissing(GraphException e) {
        return "ErrorInvalidUser".equals(e.code())
                || "MailboxNotEnabledForRESTAPI".equals(e.code())
                || "ResourceNotFound".equals(e.code());
    }

    // ---- messages ----

    /**
     * Unread messages of the folder, oldest first, at most {@code limit}. Graph wants the property of
     * $orderby first in $filter (else InefficientFilter), hence the always-true receivedDateTime term.
     * A nextLink is followed only on the base URL's scheme, host and port: the bearer token must not
     * go anywhere else.
     */
    List<GraphMessage> listUnread(String folderId, int pageSize, int limit) throws GraphException, GraphTokenException {
        String url = mailboxPath() + "/mailFolders/" + segment(folderId) + "/messages"
                + "?$filter=" + enc("receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false")
                + "&$select=" + enc("id,internetMessageId,receivedDateTime")
                + "&$orderby=" + enc("receivedDateTime asc")
                + "&$top=" + Math.max(1, Math.min(pageSize, 1000));
        List<GraphMessage> messages = new ArrayList<>();
        while (url != null && messages.size() < limit) {
            JsonNode page = getJson(url);
            for (JsonNode m : page.path("value")) {
                if (messages.size() < limit) {
                    messages.add(new GraphMessage(
                            m.path("id").asText(),
                            m.path("internetMessageId").asText(null),
                            instant(m.path("receivedDateTime").asText(null))));
                }
            }
            String next = page.path("@odata.nextLink").asText(null);
            url = null;
            if (next != null && messages.size() < limit) {
                if (sameOrigin(next)) {
                    url = next;
                } else {
                    LOG.warn(
                            "Graph returned an @odata.nextLink to another host ({}); not following it, mailbox {}",
                            safeHost(next),
                            mailbox());
                }
            }
        }
        return messages;
    }

    /**
     * One round of delta query on the folder: from {@code deltaLink} (the changes since it) or, when null, from the
     * start (every message in the folder), following each {@code @odata.nextLink} to the last page, whose
     * {@code @odata.deltaLink} starts the next round. Delta on messages filters only on receivedDateTime, so every
     * change comes back: a message read ({@code isRead} true) or removed ({@code @removed}) is left out here, and
     * what remains are the folder's unread messages that are new or changed since the link, oldest first.
     *
     * @throws GraphException with {@link #isSyncReset} true when Graph no longer knows the link: start again from
     *         null
     */
    GraphDelta delta(String folderId, String deltaLink, int pageSize) throws GraphException, GraphTokenException {
        String url = deltaLink;
        if (url == null) {
            url = mailboxPath() + "/mailFolders/" + segment(folderId) + "/messages/delta" + "?$select="
                    + enc("id,internetMessageId,receivedDateTime,isRead");
        } else if (!sameOrigin(url)) {
            // a stored link is only ever one Graph gave for this base URL; anything else starts over
            throw new GraphException(
                    410, "SyncStateInvalid", "the stored delta link is not Graph's; starting over", null);
        }
        String maxPageSize = "odata.maxpagesize=" + Math.max(1, Math.min(pageSize, 1000));
        Map<String, GraphMessage> unread = new LinkedHashMap<>();
        int pages = 0;
        while (true) {
            JsonNode page = getJson(url, maxPageSize);
            pages++;
            for (JsonNode m : page.path("value")) {
                String id = m.path("id").asText(null);
                if (id == null) {
                    continue;
                }
                if (m.has("@removed") || m.path("isRead").asBoolean(false)) {
                    unread.remove(id); // a later page's state of the same message wins
                    continue;
                }
                unread.put(
                        id,
                        new GraphMessage(
                                id,
                                m.path("internetMessageId").asText(null),
                                instant(m.path("receivedDateTime").asText(null))));
            }
            String next = page.path("@odata.nextLink").asText(null);
            String end = page.path("@odata.deltaLink").asText(null);
            if (next != null) {
                if (!sameOrigin(next)) {
                    throw new GraphException(
                            200,
                            "ForeignNextLink",
                            "Graph returned an @odata.nextLink to another host (" + safeHost(next)
                                    + "); not following it",
                            null);
                }
                url = next;
            } else if (end != null) {
                List<GraphMessage> messages = new ArrayList<>(unread.values());
                messages.sort(Comparator.comparing(
                        GraphMessage::receivedDateTime, Comparator.nullsLast(Comparator.naturalOrder())));
                LOG.debug(
                        "delta on mailbox {}: {} page(s), {} unread new or changed", mailbox(), pages, messages.size());
                return new GraphDelta(messages, end);
            } else {
                throw new GraphException(
                        200,
                        "NoDeltaLink",
                        "Graph's delta page has neither @odata.nextLink nor" + " @odata.deltaLink",
                        null);
            }
        }
    }

    /**
     * Whether Graph no longer knows a delta link (it expired from Graph's cache, or the sync state is gone): 410
     * Gone, or an error naming the sync state. The answer is a full round from the start.
     */
    static boolean isSyncReset(GraphException e) {
        String code = e.code() == null ? "" : e.code().toLowerCase(Locale.ROOT);
        return e.status() == 410
                || code.startsWith("syncstate")
                || code.equals("resyncrequired")
                || code.equals("invaliddeltatoken");
    }

    // ---- change notifications ----

    /** A subscription Graph created: its id and when it ends unless renewed. */
    record Subscription(String id, Instant expiration) {}

    /**
     * Subscribes to the folder's new messages. Graph validates both URLs first (the validationToken handshake)
     * and answers 400 when they do not answer it; the clientState comes back with every notification.
     */
    Subscription subscribe(
            String folderId, String notificationUrl, String lifecycleUrl, String clientState, Instant expiration)
            throws GraphException, GraphTokenException {
        String resource =
                (sharedMailbox == null ? "me" : "users/" + sharedMailbox) + "/mailFolders('" + folderId + "')/messages";
        var body = JSON.createObjectNode()
                .put("changeType", "created")
                .put("notificationUrl", notificationUrl)
                .put("resource", resource)
                .put("expirationDateTime", expiration.toString())
                .put("clientState", clientState)
                .put("latestSupportedTlsVersion", "v1_2");
        if (lifecycleUrl != null) {
            body.put("lifecycleNotificationUrl", lifecycleUrl);
        }
        JsonNode created = sendJson("POST", baseUrl + "/v1.0/subscriptions", body.toString());
        return new Subscription(
                created.path("id").asText(),
                instantOr(created.path("expirationDateTime").asText(null), expiration));
    }

    /** Renews (and, after reauthorizationRequired, reauthorizes) a subscription by moving its end. */
    Subscription renew(String subscriptionId, Instant expiration) throws GraphException, GraphTokenException {
        JsonNode renewed = sendJson(
                "PATCH",
                baseUrl + "/v1.0/subscriptions/" + segment(subscriptionId),
                JSON.createObjectNode()
                        .put("expirationDateTime", expiration.toString())
                        .toString());
        return new Subscription(
                subscriptionId, instantOr(renewed.path("expirationDateTime").asText(null), expiration));
    }

    /** Deletes a subscription; one Graph no longer knows counts as deleted. */
    void unsubscribe(String subscriptionId) throws GraphException, GraphTokenException {
        try {
            send(() -> new HttpDelete(baseUrl + "/v1.0/subscriptions/" + segment(subscriptionId)), entity -> null);
        } catch (GraphException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    private JsonNode sendJson(String method, String url, String json) throws GraphException, GraphTokenException {
        String body = send(
                () -> {
                    var request = "POST".equals(method) ? new HttpPost(url) : new HttpPatch(url);
                    request.setHeader("Accept", "application/json");
                    request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
                    return request;
                },
                MsGraphMailClient::text);
        try {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new GraphException(200, "InvalidJson", "Graph answered with invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Instant instantOr(String text, Instant fallback) {
        Instant parsed = instant(text);
        return parsed == null ? fallback : parsed;
    }

    /** Writes the message's MIME ($value) to {@code target}; the connection is released when this returns. */
    void download(String messageId, Path target) throws GraphException, GraphTokenException {
        String url = mailboxPath() + "/messages/" + segment(messageId) + "/$value";
        send(() -> new HttpGet(url), entity -> {
            try (InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return null;
        });
    }

    void markRead(String messageId) throws GraphException, GraphTokenException {
        String url = mailboxPath() + "/messages/" + segment(messageId);
        send(
                () -> {
                    HttpPatch patch = new HttpPatch(url);
                    patch.setEntity(new StringEntity("{\"isRead\":true}", ContentType.APPLICATION_JSON));
                    return patch;
                },
                entity -> null);
    }

    // ---- connection test ----

    /** Token, mailbox, folder and message access, each failure typed for the connection test. */
    public GraphConnectionTest testConnection(String folder) {
        try {
            tokens.accessToken();
        } catch (GraphTokenException e) {
            return tokenFailure(e);
        }
        try {
            GraphFolder found = resolveFolder(folder);
            listUnread(found.id(), 1, 1);
            return GraphConnectionTest.ok(found);
        } catch (GraphTokenException e) {
            return tokenFailure(e);
        } catch (GraphThrottledException e) {
            return GraphConnectionTest.failed(GraphConnectionTest.Failure.THROTTLED, e.getMessage(), null, e);
        } catch (GraphException e) {
            if (e.status() == 0) {
                return GraphConnectionTest.failed(
                        GraphConnectionTest.Failure.NETWORK, e.getMessage(), null, e.getCause());
            }
            if (e instanceof GraphMailboxException refused
                    && refused.failure() == GraphConnectionTest.Failure.PERMISSION_MISSING) {
                return new GraphConnectionTest(
                        GraphConnectionTest.Failure.PERMISSION_MISSING,
                        e.getMessage(),
                        e.code(),
                        missingPermission(),
                        null,
                        e);
            }
            if (e.status() == 401) {
                return GraphConnectionTest.failed(
                        GraphConnectionTest.Failure.TOKEN,
                        "Graph rejected the access token: " + e.getMessage(),
                        e.code(),
                        e);
            }
            if (e instanceof GraphMailboxException missing) {
                return GraphConnectionTest.failed(missing.failure(), e.getMessage(), e.code(), e);
            }
            if (e.status() == 404) {
                return GraphConnectionTest.failed(
                        GraphConnectionTest.Failure.FOLDER_NOT_FOUND, e.getMessage(), e.code(), e);
            }
            return GraphConnectionTest.failed(GraphConnectionTest.Failure.GRAPH_ERROR, e.getMessage(), e.code(), e);
        }
    }

    private String missingPermission() {
        return sharedMailbox == null ? "Mail.ReadWrite" : "Mail.ReadWrite.Shared";
    }

    /**
     * Graph's refusal of the mailbox as the connection test names it (PERMISSION_MISSING, MAILBOX_NOT_FOUND), so a
     * running route reports the same code and sentence; other errors as they are.
     */
    private GraphException explained(GraphException e) {
        if (e.status() == 403 || "ErrorAccessDenied".equals(e.code())) {
            return new GraphMailboxException(
                    GraphConnectionTest.Failure.PERMISSION_MISSING,
                    e,
                    "Graph denied access to"
                            + " mailbox " + mailbox() + " (" + e.code() + "): grant the delegated permission "
                            + missingPermission()
                            + (sharedMailbox == null ? "" : " (and full access to the shared mailbox for the account)")
                            + ", or the application permission Mail.ReadWrite for app-only access, with admin consent.");
        }
        if (e.status() == 404 && isMailboxMissing(e) && !(e instanceof GraphMailboxException)) {
            return new GraphMailboxException(
                    GraphConnectionTest.Failure.MAILBOX_NOT_FOUND,
                    e,
                    "Mailbox " + mailbox() + " not found: " + e.getMessage());
        }
        return e;
    }

    private static GraphConnectionTest tokenFailure(GraphTokenException e) {
        GraphConnectionTest.Failure failure = switch (e.reason()) {
            case GRANT_NEEDED -> GraphConnectionTest.Failure.CONSENT_REQUIRED;
            case UNREACHABLE -> GraphConnectionTest.Failure.NETWORK;
            case REFUSED -> GraphConnectionTest.Failure.TOKEN;
        };
        String message = switch (failure) {
            case CONSENT_REQUIRED -> "Access to the mailbox must be granted again (Grant Access): " + e.getMessage();
            default -> "No access token from Microsoft Entra ID: " + e.getMessage();
        };
        return GraphConnectionTest.failed(failure, message, e.errorCode(), e.getCause());
    }

    // ---- HTTP ----

    private JsonNode getJson(String url) throws GraphException, GraphTokenException {
        return getJson(url, null);
    }

    /** @param prefer a further Prefer preference (odata.maxpagesize=…), or null */
    private JsonNode getJson(String url, String prefer) throws GraphException, GraphTokenException {
        String body = send(
                () -> {
                    HttpGet get = new HttpGet(url);
                    get.setHeader("Accept", "application/json");
                    if (prefer != null) {
                        get.addHeader("Prefer", prefer);
                    }
                    return get;
                },
                MsGraphMailClient::text);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new GraphException(200, "InvalidJson", "Graph answered with invalid JSON: " + e.getMessage(), e);
        }
    }

    /** Reads a successful response's body; the response is closed (its connection released) afterwards. */
    interface BodyReader<T> {
        T read(HttpEntity entity) throws IOException;
    }

    private static String text(HttpEntity entity) throws IOException {
        try {
            return entity == null ? "" : EntityUtils.toString(entity, StandardCharsets.UTF_8, MAX_JSON);
        } catch (ParseException e) {
            throw new IOException("unreadable response: " + e.getMessage(), e);
        }
    }

    /**
     * Sends one request for the mailbox: refused at once while the mailbox is throttled; at most 4
     * at a time; a 401 gets one retry with a fresh token; 429/503/504 throttle the mailbox.
     */
    private <T> T send(Supplier<ClassicHttpRequest> factory, BodyReader<T> reader)
            throws GraphException, GraphTokenException {
        Instant until = throttle.throttledUntil();
        if (until != null) {
            throw new GraphThrottledException(0, until);
        }
        try {
            throttle.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphException(0, null, "interrupted", e);
        }
        try {
            for (int attempt = 1; ; attempt++) {
                ClassicHttpRequest request = factory.get();
                request.setHeader("Authorization", "Bearer " + tokens.accessToken());
                if (request.getFirstHeader("Prefer") == null) {
                    request.setHeader("Prefer", IMMUTABLE_IDS);
                } else {
                    request.addHeader("Prefer", IMMUTABLE_IDS);
                }
                try (ClassicHttpResponse response = http.executeOpen(null, request, null)) {
                    int status = response.getCode();
                    HttpEntity entity = response.getEntity();
                    if (status >= 200 && status < 300) {
                        throttle.succeeded();
                        T result = reader.read(entity);
                        EntityUtils.consume(entity); // the connection goes back to the pool
                        return result;
                    }
                    String body = text(entity);
                    if (status == 429 || status == 503 || status == 504) {
                        Instant retryAt = throttle.throttled(retryAfter(response));
                        LOG.warn("Graph throttled mailbox {} (HTTP {}); pausing until {}", mailbox(), status, retryAt);
                        throw new GraphThrottledException(status, retryAt);
                    }
                    if (status == 401 && attempt == 1) {
                        tokens.invalidate();
                        continue;
                    }
                    throw explained(error(status, body));
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new GraphException(0, null, "interrupted", e);
                    }
                    throw new GraphException(0, null, "cannot reach " + baseUrl.getHost() + ": " + e, e);
                }
            }
        } finally {
            throttle.release();
        }
    }

    private static GraphException error(int status, String body) {
        String code = null;
        String message = null;
        try {
            JsonNode error = JSON.readTree(body == null ? "" : body).path("error");
            code = error.path("code").asText(null);
            message = error.path("message").asText(null);
        } catch (IOException | RuntimeException e) {
            // not JSON: report the status alone
        }
        return new GraphException(
                status,
                code,
                "Graph answered HTTP " + status + (code == null ? "" : " " + code)
                        + (message == null ? "" : ": " + message),
                null);
    }

    /** Retry-After in seconds (what Graph sends) or as an HTTP date; null when absent or unreadable. */
    private Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        String value = header == null ? null : header.getValue();
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(
                        clock.instant(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private boolean sameOrigin(String link) {
        try {
            URI uri = URI.create(link);
            return baseUrl.getScheme().equalsIgnoreCase(uri.getScheme())
                    && baseUrl.getHost().equalsIgnoreCase(uri.getHost())
                    && port(baseUrl) == port(uri)
                    && uri.getUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String safeHost(String link) {
        try {
            return URI.create(link).getHost();
        } catch (IllegalArgumentException e) {
            return "(unparseable)";
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A query value: percent-encoded, spaces as %20 (Graph reads '+' literally in $filter). */
    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A path segment (a Graph id or address): '/' and other reserved characters escaped. */
    private static String segment(String value) {
        return enc(value).replace("%3D", "=").replace("%40", "@");
    }

    @Override
    public String toString() {
        return "MsGraphMailClient[" + baseUrl + ", mailbox=" + mailbox() + "]";
    }
}
