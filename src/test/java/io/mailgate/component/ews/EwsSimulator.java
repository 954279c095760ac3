package io.mailgate.component.ews;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An on-premises Exchange as EWS clients see it, over HTTPS with a self-signed certificate: mailboxes with folders
 * and items, FindItem (IsRead restriction, indexed paging), GetItem with MimeContent (streamed, so 40 MB messages
 * cost the test no memory), UpdateItem of message:IsRead, FindFolder by display name, the Mailbox element for
 * delegated access, Basic and NTLM in front, and throttling on demand. Responses are the SOAP bodies Microsoft
 * documents, from the templates in src/test/resources/ews/.
 */
public final class EwsSimulator implements AutoCloseable {

    public enum Auth {
        BASIC,
        NTLM
    }

    /** How the next request of an account is throttled. */
    sealed interface Throttle permits ServerBusy, InternalServerBusy, Unavailable, Xxe, Refused {}

    /** A SOAP fault (HTTP 500) ErrorServerBusy with BackOffMilliseconds in its MessageXml. */
    record ServerBusy(long backOffMillis) implements Throttle {}

    /**
     * HTTP 200 with a response message ErrorInternalServerError whose MessageXml names the inner code ErrorServerBusy
     * (InnerErrorResponseCode, as Exchange wraps errors) and, when {@code backOffMillis >= 0}, BackOffMilliseconds.
     */
    record InternalServerBusy(long backOffMillis) implements Throttle {}

    record Unavailable(String retryAfter) implements Throttle {}

    /** Not throttling: the operation refused with this response code (ErrorAccessDenied, say). */
    record Refused(String code) implements Throttle {}

    /** Not throttling: a hostile answer to test the parser with. */
    record Xxe(String target) implements Throttle {}

    interface MimeSource {
        InputStream open() throws IOException;
    }

    record Folder(String id, String mailbox, String parentId, String displayName) {}

    public static final class Item {
        final String id;
        final String folderId;
        final MimeSource mime;
        public volatile boolean read;
        final AtomicInteger fetched = new AtomicInteger();
        volatile String changeKey = "CQAAABYAAAD2Ue5t1Z1YS4QH8PIU7cJ4AAAB" + System.nanoTime() % 1000;
        final long size;

        Item(String id, String folderId, MimeSource mime, boolean read) {
            this.id = id;
            this.folderId = folderId;
            this.mime = mime;
            this.read = read;
            long counted;
            try (InputStream in = mime.open()) {
                counted = in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                counted = 0;
            }
            this.size = counted;
        }
    }

    record Request(String operation, String user, String body, Instant at) {}

    private static final Pattern OPERATION = Pattern.compile(
            "<m:(FindItem|GetItem|UpdateItem|FindFolder|GetFolder|Subscribe|GetStreamingEvents|Unsubscribe)\\b");
    private static final Pattern DISTINGUISHED = Pattern.compile(
            "<t:DistinguishedFolderId Id=\"([^\"]+)\"\\s*(?:/>|>(.*?)</t:DistinguishedFolderId>)", Pattern.DOTALL);
    private static final Pattern EMAIL = Pattern.compile("<t:EmailAddress>([^<]+)</t:EmailAddress>");
    private static final Pattern FOLDER_ID = Pattern.compile("<t:FolderId Id=\"([^\"]+)\"");
    private static final Pattern ITEM_ID = Pattern.compile("<t:ItemId Id=\"([^\"]+)\"");
    private static final Pattern OFFSET = Pattern.compile("Offset=\"(\\d+)\"");
    private static final Pattern MAX_ENTRIES = Pattern.compile("MaxEntriesReturned=\"(\\d+)\"");
    private static final Pattern CONSTANT = Pattern.compile("<t:Constant Value=\"([^\"]*)\"");
    private static final Pattern VERSION = Pattern.compile("<t:RequestServerVersion Version=\"([^\"]+)\"");

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Set<Auth> auth;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> delegates = new ConcurrentHashMap<>();
    private final Set<String> mailboxes = ConcurrentHashMap.newKeySet();
    private final Map<String, Folder> folders = new ConcurrentHashMap<>();
    private final List<Item> items = new CopyOnWriteArrayList<>();
    private final Map<String, Queue<Throttle>> throttles = new ConcurrentHashMap<>();
    private final NtlmServer ntlm = new NtlmServer(passwords);
    private final AtomicInteger ids = new AtomicInteger();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Until when each account was told to send nothing (ErrorServerBusy's BackOffMilliseconds). */
    private final Map<String, Instant> busyUntil = new ConcurrentHashMap<>();
    /** Requests that arrived while their account was told to back off; Exchange answers them ErrorServerBusy again. */
    final AtomicInteger backOffViolations = new AtomicInteger();
    /** Added to every answer, to stand for a real server's round trip (benchmarks). */
    volatile long latencyMillis;

    final List<NtlmServer.Authentication> ntlmAuthentications = new CopyOnWriteArrayList<>();

    public EwsSimulator(Auth... auth) throws IOException {
        this.auth = auth.length == 0 ? EnumSet.of(Auth.NTLM) : EnumSet.of(auth[0], auth);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().server));
        executor = Executors.newFixedThreadPool(6, r -> {
            Thread t = new Thread(r, "ews-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/EWS/Exchange.asmx", this::handle);
        server.start();
    }

    public String url() {
        return "https://localhost:" + server.getAddress().getPort() + "/EWS/Exchange.asmx";
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** An account whose own mailbox has the same address. */
    public EwsSimulator user(String address, String password) {
        passwords.put(address.toLowerCase(Locale.ROOT), password);
        mailbox(address);
        return this;
    }

    /** Full access for {@code user} to {@code mailbox}, as Add-MailboxPermission grants it. */
    EwsSimulator grant(String user, String mailbox) {
        mailbox(mailbox);
        delegates
                .computeIfAbsent(user.toLowerCase(Locale.ROOT), k -> ConcurrentHashMap.newKeySet())
                .add(mailbox.toLowerCase(Locale.ROOT));
        return this;
    }

    EwsSimulator mailbox(String address) {
        String m = address.toLowerCase(Locale.ROOT);
        if (mailboxes.add(m)) {
            String root = distinguishedId(m, "msgfolderroot");
            folders.put(root, new Folder(root, m, null, "Top of Information Store"));
            for (String[] wk : new String[][] {
                {"inbox", "Inbox"},
                {"junkemail", "Junk Email"},
                {"sentitems", "Sent Items"},
                {"deleteditems", "Deleted Items"},
                {"drafts", "Drafts"}
            }) {
                String id = distinguishedId(m, wk[0]);
                folders.put(id, new Folder(id, m, root, wk[1]));
            }
        }
        return this;
    }

    /** Adds a folder under a parent (a distinguished name such as inbox, or a folder id); returns its id. */
    String folder(String mailbox, String parent, String displayName) {
        String m = mailbox.toLowerCase(Locale.ROOT);
        String parentId = folders.containsKey(parent) ? parent : distinguishedId(m, parent);
        String id = "AAMkAGFolder"
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString((m + "/" + parentId + "/" + displayName).getBytes(StandardCharsets.UTF_8))
                + "AAA=";
        folders.put(id, new Folder(id, m, parentId, displayName));
        return id;
    }

    public Item message(String mailbox, String folder, String mime) {
        byte[] bytes = mime.getBytes(StandardCharsets.UTF_8);
        return message(mailbox, folder, () -> new ByteArrayInputStream(bytes), false);
    }

    Item message(String mailbox, String folder, MimeSource mime, boolean read) {
        String m = mailbox.toLowerCase(Locale.ROOT);
        String folderId = folders.containsKey(folder) ? folder : distinguishedId(m, folder);
        if (!folders.containsKey(folderId)) {
            throw new IllegalArgumentException("no folder " + folder + " in " + mailbox);
        }
        Item item = new Item(
                "AAMkAGItem" + ids.incrementAndGet() + "Q0ZWZmLTQ1ZjQtODZhNS1iNmIyZmI0ZWNlYTQARgAAAAA=",
                folderId,
                mime,
                read);
        items.add(item);
        for (StreamingSubscription subscription : subscriptions.values()) {
            if (subscription.folderId.equals(folderId)) {
                subscription.events.add(item);
            }
        }
        return item;
    }

    /** Answers the next requests of {@code user} (any operation) with these. */
    void throttle(String user, Throttle... next) {
        throttles
                .computeIfAbsent(user.toLowerCase(Locale.ROOT), k -> new ConcurrentLinkedQueue<>())
                .addAll(List.of(next));
    }

    /** Answers the next request of {@code user} for {@code operation} with this. */
    void throttle(String user, String operation, Throttle next) {
        throttles
                .computeIfAbsent((user + "/" + operation).toLowerCase(Locale.ROOT), k -> new ConcurrentLinkedQueue<>())
                .add(next);
    }

    long count(String operation, String user) {
        return requests.stream()
                .filter(r -> r.operation().equals(operation) && r.user().equalsIgnoreCase(user))
                .count();
    }

    long count(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).count();
    }

    private static String distinguishedId(String mailbox, String name) {
        return "dist:" + mailbox + ":" + name.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String user = authenticate(exchange);
            if (user == null) {
                return;
            }
            String soap = new String(body, StandardCharsets.UTF_8);
            Matcher op = OPERATION.matcher(soap);
            if (!"POST".equals(exchange.getRequestMethod()) || !op.find()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String operation = op.group(1);
            if (latencyMillis > 0) {
                try {
                    Thread.sleep(latencyMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Instant now = Instant.now();
            requests.add(new Request(operation, user, soap, now));
            Instant until = busyUntil.get(user.toLowerCase(Locale.ROOT));
            if (until != null && now.isBefore(until)) {
                backOffViolations.incrementAndGet();
                answerThrottle(
                        exchange,
                        user,
                        operation,
                        new ServerBusy(Duration.between(now, until).toMillis() + 1));
                return;
            }
            if (soap.contains("SuppressReadReceipts=") && !versionAtLeast2013Sp1(soap)) {
                // The attribute is part of the Exchange2013_SP1 schema; an older requested version fails validation.
                send(exchange, 500, template("error-schema-validation-fault.xml"));
                return;
            }
            Throttle throttle = nextThrottle(user + "/" + operation);
            throttle = throttle != null ? throttle : nextThrottle(user);
            if (throttle != null) {
                answerThrottle(exchange, user, operation, throttle);
                return;
            }
            switch (operation) {
                case "FindItem" -> findItem(exchange, user, soap);
                case "GetItem" -> getItem(exchange, user, soap);
                case "UpdateItem" -> updateItem(exchange, user, soap);
                case "FindFolder" -> findFolder(exchange, user, soap);
                case "Subscribe" -> subscribe(exchange, user, soap);
                case "GetStreamingEvents" -> streamEvents(exchange, user, soap);
                case "Unsubscribe" -> unsubscribe(exchange, soap);
                default -> error(exchange, operation, "ErrorInvalidOperation", "Not simulated.");
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private Throttle nextThrottle(String user) {
        Queue<Throttle> queue = throttles.get(user.toLowerCase(Locale.ROOT));
        return queue == null ? null : queue.poll();
    }

    private static boolean versionAtLeast2013Sp1(String soap) {
        Matcher v = VERSION.matcher(soap);
        return v.find()
                && List.of(
                                "Exchange2013_SP1",
                                "Exchange2015",
                                "Exchange2016",
                                "V2015_10_05",
                                "V2016_01_06",
                                "V2016_04_13",
                                "V2016_07_13",
                                "V2016_10_10",
                                "V2017_01_07",
                                "V2017_04_14",
                                "V2017_07_11")
                        .contains(v.group(1));
    }

    private void answerThrottle(HttpExchange exchange, String user, String operation, Throttle throttle)
            throws IOException {
        if (throttle instanceof ServerBusy busy) {
            busyUntil.put(user.toLowerCase(Locale.ROOT), Instant.now().plusMillis(busy.backOffMillis()));
            send(
                    exchange,
                    500,
                    template("error-server-busy-fault.xml")
                            .replace("{{backOff}}", String.valueOf(busy.backOffMillis())));
        } else if (throttle instanceof InternalServerBusy busy) {
            String backOff = "";
            if (busy.backOffMillis() >= 0) {
                busyUntil.put(user.toLowerCase(Locale.ROOT), Instant.now().plusMillis(busy.backOffMillis()));
                backOff = "<t:Value Name=\"BackOffMilliseconds\">" + busy.backOffMillis() + "</t:Value>";
            }
            send(
                    exchange,
                    200,
                    template("error-internal-server-busy-response.xml")
                            .replace("{{operation}}", operation)
                            .replace("{{backOff}}", backOff));
        } else if (throttle instanceof Unavailable unavailable) {
            if (unavailable.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", unavailable.retryAfter());
            }
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            byte[] page = "<html><body><h1>Service Unavailable</h1></body></html>".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(503, page.length);
            exchange.getResponseBody().write(page);
        } else if (throttle instanceof Refused refused) {
            error(exchange, operation, refused.code(), "Refused by the test.");
        } else if (throttle instanceof Xxe xxe) {
            send(exchange, 200, template("xxe-find-item-response.xml").replace("{{target}}", xxe.target()));
        }
    }

    /** Returns the authenticated user, or null after answering 401. */
    private String authenticate(HttpExchange exchange) throws IOException {
        String connection = exchange.getRemoteAddress().toString();
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            String user = auth.contains(Auth.NTLM) ? ntlm.userOf(connection) : null;
            if (user != null) {
                return user; // NTLM authenticates the connection, not the request
            }
            return challenge(exchange, null);
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6) && auth.contains(Auth.BASIC)) {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = decoded.substring(0, colon);
            if (Objects.equals(passwords.get(user.toLowerCase(Locale.ROOT)), decoded.substring(colon + 1))) {
                return user;
            }
            return challenge(exchange, null);
        }
        if (header.regionMatches(true, 0, "NTLM ", 0, 5) && auth.contains(Auth.NTLM)) {
            byte[] token = Base64.getDecoder().decode(header.substring(5).trim());
            if (NtlmServer.isType(token, 1)) {
                return challenge(exchange, "NTLM " + ntlm.challenge(connection, token));
            }
            NtlmServer.Authentication result = ntlm.authenticate(connection, token);
            ntlmAuthentications.add(result);
            return result.valid() ? result.user() : challenge(exchange, null);
        }
        return challenge(exchange, null);
    }

    private String challenge(HttpExchange exchange, String ntlmChallenge) throws IOException {
        var headers = exchange.getResponseHeaders();
        if (ntlmChallenge != null) {
            headers.add("WWW-Authenticate", ntlmChallenge);
        } else {
            headers.add("WWW-Authenticate", "Negotiate");
            if (auth.contains(Auth.NTLM)) {
                headers.add("WWW-Authenticate", "NTLM");
            }
            if (auth.contains(Auth.BASIC)) {
                headers.add("WWW-Authenticate", "Basic realm=\"exch01.example.com\"");
            }
        }
        exchange.sendResponseHeaders(401, -1);
        return null;
    }

    /** The folder a request addresses, or null after answering with the EWS error. */
    private Folder targetFolder(HttpExchange exchange, String operation, String user, String soap) throws IOException {
        String parents = soap.substring(soap.indexOf("FolderIds")); // ParentFolderIds, or Subscribe's FolderIds
        Folder folder;
        Matcher d = DISTINGUISHED.matcher(parents);
        if (d.find()) {
            String mailbox = user.toLowerCase(Locale.ROOT);
            if (d.group(2) != null) {
                Matcher e = EMAIL.matcher(d.group(2));
                if (e.find()) {
                    mailbox = e.group(1).toLowerCase(Locale.ROOT);
                }
            }
            if (!mailboxes.contains(mailbox)) {
                error(
                        exchange,
                        operation,
                        "ErrorNonExistentMailbox",
                        "The SMTP address has no mailbox associated with it.");
                return null;
            }
            folder = folders.get(distinguishedId(mailbox, d.group(1)));
        } else {
            Matcher f = FOLDER_ID.matcher(parents);
            folder = f.find() ? folders.get(f.group(1)) : null;
        }
        if (folder == null) {
            error(exchange, operation, "ErrorFolderNotFound", "The specified folder could not be found in the store.");
            return null;
        }
        if (!mayAccess(user, folder.mailbox())) {
            error(exchange, operation, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
            return null;
        }
        return folder;
    }

    private boolean mayAccess(String user, String mailbox) {
        String u = user.toLowerCase(Locale.ROOT);
        return u.equals(mailbox) || delegates.getOrDefault(u, Set.of()).contains(mailbox);
    }

    private void findItem(HttpExchange exchange, String user, String soap) throws IOException {
        Folder folder = targetFolder(exchange, "FindItem", user, soap);
        if (folder == null) {
            return;
        }
        boolean unreadOnly =
                soap.contains("FieldURI=\"message:IsRead\"") && soap.contains("<t:Constant Value=\"false\"/>");
        List<Item> view = new ArrayList<>();
        for (Item item : items) {
            if (item.folderId.equals(folder.id()) && (!unreadOnly || !item.read)) {
                view.add(item);
            }
        }
        int offset = intOf(OFFSET, soap, 0);
        int max = intOf(MAX_ENTRIES, soap, 1000);
        List<Item> page = view.subList(Math.min(offset, view.size()), Math.min(offset + max, view.size()));
        StringBuilder xml = new StringBuilder();
        String itemTemplate = template("find-item-message.xml").trim();
        boolean withSize = soap.contains("FieldURI=\"item:Size\"");
        for (Item item : page) {
            String entry = itemTemplate.replace("{{id}}", item.id).replace("{{changeKey}}", item.changeKey);
            xml.append(
                    withSize ? entry.replace("</t:Message>", "<t:Size>" + item.size + "</t:Size></t:Message>") : entry);
        }
        int next = offset + page.size();
        send(
                exchange,
                200,
                template("find-item-response.xml")
                        .replace("{{items}}", xml)
                        .replace("{{total}}", String.valueOf(view.size()))
                        .replace("{{nextOffset}}", String.valueOf(next))
                        .replace("{{includesLast}}", String.valueOf(next >= view.size())));
    }

    /** The items a GetItem or UpdateItem names, in order; null where the id is unknown. */
    private List<Item> itemsOf(String soap) {
        List<Item> named = new ArrayList<>();
        Matcher m = ITEM_ID.matcher(soap);
        while (m.find()) {
            String id = m.group(1);
            named.add(items.stream().filter(i -> i.id.equals(id)).findFirst().orElse(null));
        }
        return named;
    }

    /** The error code for one item of a request, or null when the user may have it. */
    private String itemError(String user, Item item) {
        if (item == null) {
            return "ErrorItemNotFound";
        }
        return mayAccess(user, folders.get(item.folderId).mailbox()) ? null : "ErrorAccessDenied";
    }

    private static String errorMessage(String operation, String code) {
        String text = code.equals("ErrorItemNotFound")
                ? "The specified object was not found in the store."
                : "Access is denied. Check credentials and try again.";
        return "<m:" + operation + "ResponseMessage ResponseClass=\"Error\"><m:MessageText>" + text + "</m:MessageText>"
                + "<m:ResponseCode>" + code
                + "</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:Items/>"
                + "</m:" + operation + "ResponseMessage>";
    }

    /** One response message per ItemId, in order, as Exchange answers a GetItem for several items. */
    private void getItem(HttpExchange exchange, String user, String soap) throws IOException {
        List<Item> named = itemsOf(soap);
        String response = template("get-item-response.xml");
        int open = response.indexOf("<m:GetItemResponseMessage");
        String closeTag = "</m:GetItemResponseMessage>";
        int close = response.indexOf(closeTag) + closeTag.length();
        String messageTemplate = response.substring(open, close);
        boolean withMime = soap.contains("<t:IncludeMimeContent>true</t:IncludeMimeContent>");
        exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
        exchange.sendResponseHeaders(200, 0); // chunked: the messages are streamed, not held
        OutputStream out = exchange.getResponseBody();
        out.write(response.substring(0, open).getBytes(StandardCharsets.UTF_8));
        for (Item item : named) {
            String error = itemError(user, item);
            if (error != null) {
                out.write(errorMessage("GetItem", error).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            item.fetched.incrementAndGet();
            String message = messageTemplate.replace("{{id}}", item.id).replace("{{changeKey}}", item.changeKey);
            if (!withMime) {
                out.write(message.replaceAll("<t:MimeContent[^>]*>\\{\\{mime}}</t:MimeContent>", "")
                        .getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int at = message.indexOf("{{mime}}");
            out.write(message.substring(0, at).getBytes(StandardCharsets.UTF_8));
            try (InputStream mime = item.mime.open()) {
                OutputStream base64 = Base64.getEncoder().wrap(new NonClosing(out));
                mime.transferTo(base64);
                base64.close(); // writes the padding
            }
            out.write(message.substring(at + "{{mime}}".length()).getBytes(StandardCharsets.UTF_8));
        }
        out.write(response.substring(close).getBytes(StandardCharsets.UTF_8));
    }

    /** One response message per ItemChange, in order. */
    private void updateItem(HttpExchange exchange, String user, String soap) throws IOException {
        List<Item> named = itemsOf(soap);
        String response = template("update-item-response.xml");
        int open = response.indexOf("<m:UpdateItemResponseMessage");
        String closeTag = "</m:UpdateItemResponseMessage>";
        int close = response.indexOf(closeTag) + closeTag.length();
        String messageTemplate = response.substring(open, close);
        StringBuilder messages = new StringBuilder();
        String[] changes = soap.split("<t:ItemChange>");
        for (int i = 0; i < named.size(); i++) {
            Item item = named.get(i);
            String error = itemError(user, item);
            if (error != null) {
                messages.append(errorMessage("UpdateItem", error));
                continue;
            }
            String change = i + 1 < changes.length ? changes[i + 1] : soap;
            if (change.contains("FieldURI=\"message:IsRead\"") && change.contains("<t:IsRead>true</t:IsRead>")) {
                item.read = true;
                item.changeKey = item.changeKey + "u";
            }
            messages.append(messageTemplate.replace("{{id}}", item.id).replace("{{changeKey}}", item.changeKey));
        }
        send(exchange, 200, response.substring(0, open) + messages + response.substring(close));
    }

    private void findFolder(HttpExchange exchange, String user, String soap) throws IOException {
        Folder parent = targetFolder(exchange, "FindFolder", user, soap);
        if (parent == null) {
            return;
        }
        Matcher c = CONSTANT.matcher(soap);
        String name = c.find() ? unescape(c.group(1)) : null;
        StringBuilder xml = new StringBuilder();
        String folderTemplate = template("find-folder-folder.xml").trim();
        int count = 0;
        for (Folder f : folders.values()) {
            if (parent.id().equals(f.parentId())
                    && (name == null || f.displayName().equalsIgnoreCase(name))) {
                xml.append(folderTemplate.replace("{{id}}", f.id()).replace("{{displayName}}", f.displayName()));
                count++;
            }
        }
        send(
                exchange,
                200,
                template("find-folder-response.xml")
                        .replace("{{folders}}", xml)
                        .replace("{{total}}", String.valueOf(count)));
    }

    // ---- streaming notifications (Subscribe with StreamingSubscriptionRequest, GetStreamingEvents) ----

    static final class StreamingSubscription {
        final String id;
        final String folderId;
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        StreamingSubscription(String id, String folderId) {
            this.id = id;
            this.folderId = folderId;
        }
    }

    private static final Object END_STREAM = new Object();
    private static final Pattern SUBSCRIPTION_ID = Pattern.compile("<t:SubscriptionId>([^<]+)</t:SubscriptionId>");
    private static final Pattern UNSUBSCRIBE_ID = Pattern.compile("<m:SubscriptionId>([^<]+)</m:SubscriptionId>");
    private static final Pattern CONNECTION_TIMEOUT =
            Pattern.compile("<m:ConnectionTimeout>(\\d+)</m:ConnectionTimeout>");
    final Map<String, StreamingSubscription> subscriptions = new ConcurrentHashMap<>();
    /** "SUBSCRIBE id", "OPEN id minutes", "CLOSED id", "NOT_FOUND id", "UNSUBSCRIBE id" in order. */
    final List<String> streamLog = new CopyOnWriteArrayList<>();
    /** Stands for the ConnectionTimeout minutes, so that a test sees streams end and open again. */
    volatile long streamLifetimeMillis = -1;
    /** How often an open stream says ConnectionStatus OK when nothing happens. */
    volatile long keepAliveMillis = 30_000;

    /** Exchange forgets every streaming subscription (a restart, the 30 minutes without a stream): streams end. */
    void forgetSubscriptions() {
        for (StreamingSubscription subscription : subscriptions.values()) {
            subscriptions.remove(subscription.id);
            subscription.events.add(END_STREAM);
        }
    }

    private void subscribe(HttpExchange exchange, String user, String soap) throws IOException {
        if (!soap.contains("<m:StreamingSubscriptionRequest>")) {
            error(
                    exchange,
                    "Subscribe",
                    "ErrorInvalidSubscriptionRequest",
                    "Only streaming subscriptions are simulated.");
            return;
        }
        Folder folder = targetFolder(exchange, "Subscribe", user, soap);
        if (folder == null) {
            return;
        }
        if (!soap.contains("<t:EventType>NewMailEvent</t:EventType>")
                && !soap.contains("<t:EventType>CreatedEvent</t:EventType>")) {
            error(exchange, "Subscribe", "ErrorInvalidSubscriptionRequest", "No event type.");
            return;
        }
        String id = "JQBzdHJlYW0" + UUID.randomUUID().toString().replace("-", "") + "EAAAAA==";
        subscriptions.put(id, new StreamingSubscription(id, folder.id()));
        streamLog.add("SUBSCRIBE " + id);
        send(exchange, 200, template("subscribe-response.xml").replace("{{id}}", id));
    }

    private void unsubscribe(HttpExchange exchange, String soap) throws IOException {
        Matcher m = UNSUBSCRIBE_ID.matcher(soap);
        StreamingSubscription gone = m.find() ? subscriptions.remove(m.group(1)) : null;
        if (gone == null) {
            error(exchange, "Unsubscribe", "ErrorSubscriptionNotFound", "The specified subscription was not found.");
            return;
        }
        gone.events.add(END_STREAM);
        streamLog.add("UNSUBSCRIBE " + gone.id);
        send(
                exchange,
                200,
                template("error-response.xml")
                        .replace("{{operation}}", "Unsubscribe")
                        .replace("ResponseClass=\"Error\"", "ResponseClass=\"Success\"")
                        .replace("{{code}}", "NoError")
                        .replace("{{text}}", ""));
    }

    /**
     * One chunked response, one SOAP envelope per batch of events as Exchange sends them: ConnectionStatus OK at once
     * and as a keep-alive, a Notification per new item, and ConnectionStatus Closed when the connection's minutes are
     * over. An unknown subscription is one envelope with ErrorSubscriptionNotFound.
     */
    private void streamEvents(HttpExchange exchange, String user, String soap) throws IOException {
        Matcher id = SUBSCRIPTION_ID.matcher(soap);
        Matcher timeout = CONNECTION_TIMEOUT.matcher(soap);
        int minutes = timeout.find() ? Integer.parseInt(timeout.group(1)) : -1;
        if (minutes < 1 || minutes > 30) {
            error(exchange, "GetStreamingEvents", "ErrorInvalidArgument", "ConnectionTimeout must be 1 to 30 minutes.");
            return;
        }
        StreamingSubscription subscription = id.find() ? subscriptions.get(id.group(1)) : null;
        if (subscription == null) {
            streamLog.add("NOT_FOUND " + (id.find(0) ? id.group(1) : "-"));
            send(exchange, 200, streamEnvelope("Error", "ErrorSubscriptionNotFound", "", "Closed"));
            return;
        }
        streamLog.add("OPEN " + subscription.id + " " + minutes);
        exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        long lifetime = streamLifetimeMillis > 0 ? streamLifetimeMillis : minutes * 60_000L;
        long end = System.currentTimeMillis() + lifetime;
        write(out, streamEnvelope("Success", "NoError", "", "OK"));
        try {
            while (System.currentTimeMillis() < end) {
                Object event = subscription.events.poll(
                        Math.min(keepAliveMillis, Math.max(1, end - System.currentTimeMillis())),
                        TimeUnit.MILLISECONDS);
                if (event == END_STREAM) {
                    break;
                }
                if (event instanceof Item item) {
                    StringBuilder batch = new StringBuilder(notification(subscription, item));
                    Object more;
                    while ((more = subscription.events.poll()) instanceof Item next) {
                        batch.append(notification(subscription, next));
                    }
                    write(
                            out,
                            streamEnvelope(
                                    "Success", "NoError", "<m:Notifications>" + batch + "</m:Notifications>", null));
                    if (more == END_STREAM) {
                        break;
                    }
                } else {
                    write(out, streamEnvelope("Success", "NoError", "", "OK"));
                }
            }
            write(out, streamEnvelope("Success", "NoError", "", "Closed"));
            streamLog.add("CLOSED " + subscription.id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            streamLog.add("BROKEN " + subscription.id);
        }
        out.close();
    }

    private static void write(OutputStream out, String envelope) throws IOException {
        out.write(envelope.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String notification(StreamingSubscription subscription, Item item) {
        String ids = "<t:ItemId Id=\"" + item.id + "\" ChangeKey=\"" + item.changeKey + "\"/>"
                + "<t:ParentFolderId Id=\"" + item.folderId + "\" ChangeKey=\"AQAAAA==\"/>";
        String stamp = "<t:Watermark>AQAAAL" + ids.hashCode() + "AAAAA=</t:Watermark><t:TimeStamp>"
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "</t:TimeStamp>";
        return "<m:Notification><t:SubscriptionId>" + subscription.id + "</t:SubscriptionId>"
                + "<t:CreatedEvent>" + stamp + ids + "</t:CreatedEvent>"
                + "<t:NewMailEvent>" + stamp + ids + "</t:NewMailEvent></m:Notification>";
    }

    private static String streamEnvelope(String responseClass, String code, String notifications, String status) {
        return template("get-streaming-events-envelope.xml")
                .replace("{{class}}", responseClass)
                .replace("{{code}}", code)
                .replace("{{notifications}}", notifications)
                .replace("{{status}}", status == null ? "" : "<m:ConnectionStatus>" + status + "</m:ConnectionStatus>");
    }

    private void error(HttpExchange exchange, String operation, String code, String text) throws IOException {
        send(
                exchange,
                200,
                template("error-response.xml")
                        .replace("{{operation}}", operation)
                        .replace("{{code}}", code)
                        .replace("{{text}}", text));
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static int intOf(Pattern p, String s, int otherwise) {
        Matcher m = p.matcher(s);
        return m.find() ? Integer.parseInt(m.group(1)) : otherwise;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    static String template(String name) {
        try (InputStream in = EwsSimulator.class.getResourceAsStream("/ews/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
