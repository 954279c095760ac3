package io.mailgate.component.ews;

import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import io.mailgate.http.ProxyTunnelRefusedException;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks SOAP to one Exchange mailbox: finds unread items, streams their MIME to a file, marks them read. One client
 * per consumer (its own connection pool and authentication state, since NTLM authenticates a connection, not a
 * request); not for concurrent use. Creating a client touches no network.
 */
public final class EwsClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(EwsClient.class);

    /** A FindItem, FindFolder or UpdateItem response is a few kilobytes; anything near this is not EWS. */
    private static final long MAX_SMALL_RESPONSE = 16L * 1024 * 1024;

    /** Display names and EWS names of the folders every mailbox has, addressed without a lookup. */
    private static final Map<String, String> WELL_KNOWN = Map.ofEntries(
            Map.entry("inbox", "inbox"),
            Map.entry("junk email", "junkemail"),
            Map.entry("junk e-mail", "junkemail"),
            Map.entry("junkemail", "junkemail"),
            Map.entry("deleted items", "deleteditems"),
            Map.entry("deleteditems", "deleteditems"),
            Map.entry("sent items", "sentitems"),
            Map.entry("sentitems", "sentitems"),
            Map.entry("drafts", "drafts"),
            Map.entry("outbox", "outbox"),
            Map.entry("msgfolderroot", "msgfolderroot"),
            Map.entry("top of information store", "msgfolderroot"));

    private final EwsConfiguration configuration;
    private final EwsMailbox mailbox;
    private final String explicitMailbox;
    private final URI endpoint;
    private final CloseableHttpClient http;
    private final HttpClientContext context = HttpClientContext.create();
    /** Until when Exchange asked this client to send nothing (ErrorServerBusy's BackOffMilliseconds, Retry-After). */
    private volatile Instant notBefore = Instant.MIN;

    /** What one envelope of a GetStreamingEvents response said: its response code, new mail, the connection state. */
    record StreamEnvelope(String responseCode, boolean newMail, String connectionStatus) {}

    private static final Pattern RESPONSE_CODE =
            Pattern.compile("<(?:\\w+:)?ResponseCode>\\s*(\\w+)\\s*</(?:\\w+:)?ResponseCode>");
    private static final Pattern SUBSCRIPTION_ID =
            Pattern.compile("<(?:\\w+:)?SubscriptionId>\\s*([^<\\s]+)\\s*</(?:\\w+:)?SubscriptionId>");
    private static final Pattern CONNECTION_STATUS =
            Pattern.compile("<(?:\\w+:)?ConnectionStatus>\\s*(\\w+)\\s*</(?:\\w+:)?ConnectionStatus>");
    private static final Pattern NEW_MAIL = Pattern.compile("<(?:\\w+:)?(?:NewMailEvent|CreatedEvent)[\\s>]");
    private static final Pattern ENVELOPE_END = Pattern.compile("</(?:\\w+:)?Envelope\\s*>");
    /** One envelope of an event stream is a few kilobytes; a server sending more without closing one is not EWS. */
    private static final int MAX_ENVELOPE = 4 * 1024 * 1024;

    EwsClient(EwsConfiguration configuration) {
        this.configuration = configuration;
        this.mailbox = configuration.parsedMailbox();
        EwsCredentials credentials = configuration.getCredentials();
        // Name the mailbox in folder ids when it is not the signed-in account's own (the shared-mailbox form).
        this.explicitMailbox = mailbox.shared() || !mailbox.target().equalsIgnoreCase(credentials.username())
                ? mailbox.target()
                : null;
        this.endpoint = URI.create(configuration.getEndpoint().trim());
        this.http = buildHttpClient(configuration, endpoint);
    }

    /**
     * Connects, signs in, finds the folder and counts its unread messages, for the connection-test flow.
     *
     * @throws EwsException with the code and stage of the first thing that failed
     * @throws IllegalArgumentException when the configuration is incomplete
     */
    public static int testConnection(EwsConfiguration configuration) {
        configuration.validate();
        try (EwsClient client = new EwsClient(configuration)) {
            return client.countUnread(client.resolveFolder());
        }
    }

    /** The connection's client from the one factory; EWS answers NTLM or Basic challenges itself. */
    private static CloseableHttpClient buildHttpClient(EwsConfiguration cfg, URI endpoint) {
        EwsCredentials credentials = cfg.getCredentials();
        List<String> schemes = switch (credentials.authScheme()) {
            case NTLM -> List.of(StandardAuthScheme.NTLM);
            case BASIC -> List.of(StandardAuthScheme.BASIC);
            case AUTO -> List.of(StandardAuthScheme.NTLM, StandardAuthScheme.BASIC);
        };
        EwsProxy proxy = cfg.getProxy();
        HttpSettings settings = new HttpSettings(
                cfg.getSslContext(),
                proxy == null ? null : proxy.toProxyServer(),
                Duration.ofMillis(cfg.getConnectTimeout()),
                Duration.ofMillis(cfg.getSocketTimeout()),
                2,
                "mailgate-ews");
        return ConnectionHttpClients.create(
                settings,
                new ConnectionHttpClients.ServerLogin(
                        endpoint, credentials.username(), credentials.password(), schemes));
    }

    /** The configured folder, found by display name or path; the well-known folders need no lookup. */
    EwsFolder resolveFolder() {
        String[] segments = Arrays.stream(configuration.getFolder().split("/"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        if (segments.length == 0) {
            return EwsFolder.distinguished("inbox", explicitMailbox);
        }
        EwsFolder current;
        String wellKnown = WELL_KNOWN.get(segments[0].toLowerCase(Locale.ROOT));
        if (wellKnown != null) {
            current = EwsFolder.distinguished(wellKnown, explicitMailbox);
        } else {
            // A folder at the top of the mailbox, or (as users often make them) one under the Inbox.
            current = findChild(EwsFolder.distinguished("msgfolderroot", explicitMailbox), segments[0]);
            if (current == null) {
                current = findChild(EwsFolder.distinguished("inbox", explicitMailbox), segments[0]);
            }
            if (current == null) {
                throw folderNotFound(segments[0], "the mailbox root or the Inbox");
            }
        }
        for (int i = 1; i < segments.length; i++) {
            EwsFolder child = findChild(current, segments[i]);
            if (child == null) {
                throw folderNotFound(segments[i], String.join("/", Arrays.copyOf(segments, i)));
            }
            current = child;
        }
        LOG.debug("Folder {} of {} resolved to {}", configuration.getFolder(), mailbox.target(), current.label());
        return current;
    }

    private EwsException folderNotFound(String name, String parent) {
        return new EwsException(
                EwsException.Code.FOLDER_NOT_FOUND,
                "Folder '" + name + "' was not found in " + parent + " of mailbox " + mailbox.target()
                        + " (folder option: '" + configuration.getFolder() + "')");
    }

    private EwsFolder findChild(EwsFolder parent, String displayName) {
        EwsResponse response = post("FindFolder", EwsSoap.findFolder(parent, displayName), EwsXml::parse);
        if ("ErrorFolderNotFound".equals(response.errorCode())) {
            return null;
        }
        check(response, "FindFolder");
        for (EwsResponse.FolderHit hit : response.folders) {
            // The server compares case-insensitively; prefer an exact match when there are several.
            if (displayName.equals(hit.displayName())) {
                return EwsFolder.byId(hit.id());
            }
        }
        return response.folders.isEmpty()
                ? null
                : EwsFolder.byId(response.folders.get(0).id());
    }

    int countUnread(EwsFolder folder) {
        EwsResponse response =
                check(post("FindItem", EwsSoap.findUnreadItems(folder, 0, 1), EwsXml::parse), "FindItem");
        return Math.max(response.totalItemsInView, response.items.size());
    }

    /** Up to {@code limit} unread items, oldest first, paging through FindItem. */
    List<EwsItem> findUnread(EwsFolder folder, int limit) {
        List<EwsItem> found = new ArrayList<>();
        int offset = 0;
        while (found.size() < limit) {
            int page = Math.min(configuration.getPageSize(), limit - found.size());
            EwsResponse response =
                    check(post("FindItem", EwsSoap.findUnreadItems(folder, offset, page), EwsXml::parse), "FindItem");
            found.addAll(response.items.subList(0, Math.min(response.items.size(), page)));
            if (response.includesLastItemInRange || response.items.isEmpty()) {
                break;
            }
            offset += response.items.size();
        }
        return found;
    }

    /**
     * Fetches an item's MIME content, decoding the base64 as it streams into a new file in {@code dir}.
     *
     * @return the file (owner-only permissions where the file system has them); the caller deletes it
     */
    Path downloadMime(EwsItem item, Path dir) {
        Path file;
        try {
            file = Files.createTempFile(dir, "ews-", ".eml");
        } catch (IOException e) {
            throw new EwsException(EwsException.Code.IO_ERROR, null, "cannot create a temporary file in " + dir, e);
        }
        boolean done = false;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            long max = configuration.getMaxMessageSize();
            // base64 is 4/3 of the bytes; allow for line breaks and the envelope around it.
            long maxResponse = max + max / 2 + MAX_SMALL_RESPONSE;
            EwsResponse response =
                    post("GetItem", EwsSoap.getMimeContent(item), in -> EwsXml.parse(in, out, max), maxResponse);
            check(response, "GetItem");
            if (!response.hasMime) {
                throw new EwsException(EwsException.Code.PROTOCOL_ERROR, "GetItem returned no MimeContent");
            }
            done = true;
            return file;
        } catch (IOException e) {
            throw new EwsException(EwsException.Code.IO_ERROR, null, "cannot write the message to " + dir, e);
        } finally {
            if (!done) {
                deleteQuietly(file);
            }
        }
    }

    /**
     * Fetches several items' MIME content with one GetItem, each decoded as it streams into its own new file in
     * {@code dir}. Exchange answers each item on its own, in the order asked.
     *
     * @return one file per item, in order; null for an item that is gone (moved or deleted meanwhile)
     * @throws EwsException when the request as a whole failed, or an item failed for another reason (too large,
     *         refused): the caller then fetches the items one at a time
     */
    List<Path> downloadMime(List<EwsItem> items, Path dir) {
        Path[] files = new Path[items.size()];
        OutputStream[] outs = new OutputStream[items.size()];
        boolean done = false;
        try {
            long max = configuration.getMaxMessageSize();
            long maxResponse = items.size() * (max + max / 2) + MAX_SMALL_RESPONSE;
            EwsResponse response = post(
                    "GetItem",
                    EwsSoap.getMimeContent(items),
                    in -> EwsXml.parse(
                            in,
                            message -> {
                                if (message >= items.size()) {
                                    throw new EwsException(
                                            EwsException.Code.PROTOCOL_ERROR, "GetItem answered more items than asked");
                                }
                                try {
                                    if (outs[message] == null) {
                                        files[message] = Files.createTempFile(dir, "ews-", ".eml");
                                        outs[message] = new BufferedOutputStream(
                                                Files.newOutputStream(files[message]), 64 * 1024);
                                    }
                                    return outs[message];
                                } catch (IOException e) {
                                    throw new EwsException(
                                            EwsException.Code.IO_ERROR,
                                            null,
                                            "cannot create a temporary file in " + dir,
                                            e);
                                }
                            },
                            max),
                    maxResponse);
            for (OutputStream out : outs) {
                if (out != null) {
                    out.close();
                }
            }
            if (response.fault || response.throttled() || response.messageCodes.size() != items.size()) {
                check(response, "GetItem");
                throw new EwsException(
                        EwsException.Code.PROTOCOL_ERROR,
                        "GetItem answered " + response.messageCodes.size() + " of " + items.size() + " items");
            }
            List<Path> result = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                String code = response.messageCodes.get(i);
                if ("ErrorItemNotFound".equals(code)) {
                    deleteQuietly(files[i]);
                    result.add(null);
                } else if (!"NoError".equals(code) || !response.mimeMessages.contains(i)) {
                    throw new EwsException(
                            EwsException.Code.SERVER_ERROR,
                            "GetItem failed for one of " + items.size() + " items: " + code);
                } else {
                    result.add(files[i]);
                }
            }
            done = true;
            return result;
        } catch (IOException e) {
            throw new EwsException(EwsException.Code.IO_ERROR, null, "cannot write a message to " + dir, e);
        } finally {
            if (!done) {
                for (int i = 0; i < files.length; i++) {
                    closeQuietly(outs[i]);
                    if (files[i] != null) {
                        deleteQuietly(files[i]);
                    }
                }
            }
        }
    }

    private static void closeQuietly(OutputStream out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("Closing a temporary message file failed: {}", e.toString());
            }
        }
    }

    void markRead(EwsItem item) {
        markRead(List.of(item));
    }

    /**
     * Marks items read with one UpdateItem. Exchange answers each ItemChange on its own: an item deleted or moved
     * meanwhile (ErrorItemNotFound) does not fail the others.
     *
     * @return how many items Exchange did not mark read for another reason than that they are gone
     * @throws EwsException when the request as a whole failed (throttled, refused, unreachable)
     */
    int markRead(List<EwsItem> items) {
        EwsResponse response = post("UpdateItem", EwsSoap.markRead(items), EwsXml::parse);
        if (response.fault || response.messageCodes.isEmpty()) {
            check(response, "UpdateItem");
            return 0;
        }
        int failed = 0;
        for (String code : response.messageCodes) {
            if (!"NoError".equals(code) && !"ErrorItemNotFound".equals(code)) {
                failed++;
            }
        }
        if (failed == response.messageCodes.size() || response.throttled()) {
            check(response, "UpdateItem"); // every change failed alike: throttled, access denied, ...
        }
        if (failed > 0) {
            LOG.warn(
                    "UpdateItem on {}: {} of {} item(s) were not marked read ({})",
                    endpoint.getHost(),
                    failed,
                    items.size(),
                    response.errorCode());
        }
        return failed;
    }

    // ---- streaming notifications: only ever a reason to poll now, never content ----

    /**
     * Subscribes to new mail in the folder.
     *
     * @return the subscription id
     * @throws EwsException with the server's code when Exchange refused (ErrorInvalidSubscriptionRequest, …)
     */
    String subscribeStreaming(EwsFolder folder) {
        String answer = post("Subscribe", EwsSoap.subscribeStreaming(folder), EwsClient::text);
        String code = first(RESPONSE_CODE, answer);
        String id = first(SUBSCRIPTION_ID, answer);
        if (!"NoError".equals(code) || id == null) {
            throw new EwsException(
                    EwsException.Code.SERVER_ERROR,
                    null,
                    "Exchange refused the streaming subscription (" + (code == null ? "no response code" : code) + ")",
                    code,
                    null,
                    null);
        }
        return id;
    }

    /**
     * Reads the subscription's event stream until Exchange closes it (ConnectionTimeout minutes, then
     * ConnectionStatus Closed) or the connection breaks: one SOAP envelope after the other in a chunked response,
     * each handed to {@code onEnvelope} as it arrives.
     */
    void streamEvents(String subscriptionId, int minutes, Consumer<StreamEnvelope> onEnvelope) {
        post(
                "GetStreamingEvents",
                EwsSoap.getStreamingEvents(subscriptionId, minutes),
                in -> {
                    try {
                        readEnvelopes(in, onEnvelope);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return null;
                },
                Long.MAX_VALUE / 4);
    }

    static void readEnvelopes(InputStream in, Consumer<StreamEnvelope> onEnvelope) throws IOException {
        StringBuilder envelope = new StringBuilder();
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buffer = new char[8192];
        int read;
        while ((read = reader.read(buffer)) != -1) {
            envelope.append(buffer, 0, read);
            Matcher end = ENVELOPE_END.matcher(envelope);
            while (end.find()) {
                String one = envelope.substring(0, end.end());
                envelope.delete(0, end.end());
                onEnvelope.accept(new StreamEnvelope(
                        first(RESPONSE_CODE, one), NEW_MAIL.matcher(one).find(), first(CONNECTION_STATUS, one)));
                end = ENVELOPE_END.matcher(envelope);
            }
            if (envelope.length() > MAX_ENVELOPE) {
                throw new EwsException(
                        EwsException.Code.PROTOCOL_ERROR,
                        "an event stream envelope is larger than " + MAX_ENVELOPE + " characters");
            }
        }
    }

    /** Ends a streaming subscription at once (best effort: Exchange ends it by itself 30 minutes after its stream). */
    void unsubscribe(String subscriptionId) {
        post("Unsubscribe", EwsSoap.unsubscribe(subscriptionId), EwsClient::text);
    }

    private static String text(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** Until when Exchange asked for no further request; {@link Instant#MIN} when it did not. */
    Instant throttledUntil() {
        return notBefore;
    }

    private EwsResponse check(EwsResponse response, String operation) {
        try {
            return response.orThrow(operation, defaultBackOff());
        } catch (EwsException e) {
            throttled(e);
            throw e;
        }
    }

    /** Exchange throttled us: it wants no request at all from this account until the back-off has passed. */
    private void throttled(EwsException e) {
        if (e.code() != EwsException.Code.THROTTLED) {
            return;
        }
        Duration wait = e.backOff() != null ? e.backOff() : defaultBackOff();
        Duration max = Duration.ofMillis(configuration.getMaxThrottleBackOff());
        Instant until = Instant.now().plus(wait.compareTo(max) > 0 ? max : wait);
        if (until.isAfter(notBefore)) {
            notBefore = until;
        }
    }

    private Duration defaultBackOff() {
        return Duration.ofMillis(configuration.getThrottleBackOff());
    }

    private <T> T post(String operation, String soap, Function<InputStream, T> reader) {
        return post(operation, soap, reader, MAX_SMALL_RESPONSE);
    }

    private <T> T post(String operation, String soap, Function<InputStream, T> reader, long maxResponse) {
        Instant now = Instant.now();
        Instant until = notBefore;
        if (now.isBefore(until)) {
            // Microsoft: after ErrorServerBusy wait BackOffMilliseconds before any further request, not only a retry.
            throw new EwsException(
                    EwsException.Code.THROTTLED,
                    null,
                    operation + " not sent: Exchange asked to wait until " + until,
                    "ErrorServerBusy",
                    Duration.between(now, until),
                    null);
        }
        HttpPost post = new HttpPost(endpoint);
        post.setEntity(new ByteArrayEntity(
                soap.getBytes(StandardCharsets.UTF_8), ContentType.create("text/xml", StandardCharsets.UTF_8)));
        post.setHeader("Accept", "text/xml");
        long started = System.nanoTime();
        try (ClassicHttpResponse response = http.executeOpen(null, post, context)) {
            int status = response.getCode();
            HttpEntity entity = response.getEntity();
            LOG.debug(
                    "{} {} -> HTTP {} in {} ms",
                    operation,
                    endpoint.getHost(),
                    status,
                    (System.nanoTime() - started) / 1_000_000);
            if (status == 200 || (status == 500 && isXml(entity))) {
                // EWS sends SOAP faults (ErrorServerBusy among them) with status 500.
                try (InputStream in = bounded(entity.getContent(), maxResponse)) {
                    T result = reader.apply(in);
                    EntityUtils.consume(entity);
                    return result;
                }
            }
            EntityUtils.consume(entity);
            EwsException error = statusError(operation, status, response);
            throttled(error);
            throw error;
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private static boolean isXml(HttpEntity entity) {
        return entity != null
                && entity.getContentType() != null
                && entity.getContentType().toLowerCase(Locale.ROOT).contains("xml");
    }

    private EwsException statusError(String operation, int status, ClassicHttpResponse response) {
        String where = operation + " on " + endpoint.getHost();
        return switch (status) {
            case 401 ->
                new EwsException(
                        EwsException.Code.AUTH_FAILED,
                        "Exchange refused the user name or password of "
                                + configuration.getCredentials().username() + " ("
                                + configuration.getCredentials().authScheme()
                                + ", HTTP 401 for " + where + "; the server offers " + offeredSchemes(response) + ")");
            case 403 ->
                new EwsException(EwsException.Code.PERMISSION_MISSING, "Exchange forbade " + where + " (HTTP 403)");
            case 407 ->
                new EwsException(
                        EwsException.Code.PROXY_AUTH_FAILED, "The proxy refused its user name or password (HTTP 407)");
            case 429, 503 ->
                new EwsException(
                        EwsException.Code.THROTTLED,
                        null,
                        "Exchange is busy (HTTP " + status + " for " + where + ")",
                        "HTTP" + status,
                        retryAfter(response),
                        null);
            // A proxy answers a refused CONNECT itself; HttpClient hands that answer back as the response.
            case 502, 504 ->
                configuration.getProxy() != null
                        ? new EwsException(
                                EwsException.Code.PROXY_FAILED,
                                EwsException.Stage.PROXY,
                                "The proxy could not reach " + endpoint.getHost() + " (HTTP " + status + ")",
                                null)
                        : new EwsException(
                                EwsException.Code.SERVER_ERROR, "Unexpected HTTP " + status + " for " + where);
            case 404 -> new EwsException(EwsException.Code.SERVER_ERROR, "No EWS at " + endpoint + " (HTTP 404)");
            default -> new EwsException(EwsException.Code.SERVER_ERROR, "Unexpected HTTP " + status + " for " + where);
        };
    }

    /** The scheme names of WWW-Authenticate, so a Kerberos-only or Basic-disabled server is easy to recognise. */
    private static String offeredSchemes(ClassicHttpResponse response) {
        List<String> schemes = new ArrayList<>();
        for (Header h : response.getHeaders("WWW-Authenticate")) {
            String value = h.getValue() == null ? "" : h.getValue().trim();
            int space = value.indexOf(' ');
            schemes.add(space < 0 ? value : value.substring(0, space));
        }
        return schemes.isEmpty() ? "no authentication scheme" : String.join(", ", schemes);
    }

    /** Retry-After as seconds or an HTTP date; the configured default when absent or unreadable. */
    private Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        if (header != null && header.getValue() != null) {
            String value = header.getValue().trim();
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                Instant when = DateUtils.parseStandardDate(value);
                if (when != null) {
                    Duration wait = Duration.between(Instant.now(), when);
                    return wait.isNegative() ? Duration.ZERO : wait;
                }
            }
        }
        return defaultBackOff();
    }

    /** Turns a network failure into the code and stage the connection test reports. */
    private EwsException translate(IOException e) {
        EwsProxy proxy = configuration.getProxy();
        EwsException.Stage network = proxy != null ? EwsException.Stage.PROXY : null;
        String server = proxy != null ? "proxy " + proxy.host() + ":" + proxy.port() : endpoint.getHost();
        if (e instanceof ProxyTunnelRefusedException refused) {
            return refused.credentialsRefused()
                    ? new EwsException(
                            EwsException.Code.PROXY_AUTH_FAILED, EwsException.Stage.PROXY, refused.getMessage(), e)
                    : new EwsException(
                            EwsException.Code.PROXY_FAILED, EwsException.Stage.PROXY, refused.getMessage(), e);
        }
        if (e instanceof UnknownHostException) {
            return new EwsException(EwsException.Code.UNKNOWN_HOST, network, "Unknown host: " + e.getMessage(), e);
        }
        if (e instanceof ConnectTimeoutException || e instanceof SocketTimeoutException) {
            return new EwsException(EwsException.Code.TIMEOUT, network, "Timed out talking to " + server, e);
        }
        if (e instanceof HttpHostConnectException
                || e instanceof ConnectException
                || e instanceof NoRouteToHostException) {
            return new EwsException(EwsException.Code.CONNECTION_REFUSED, network, "Cannot connect to " + server, e);
        }
        if (e instanceof SSLException) {
            return new EwsException(
                    tlsCode(e), EwsException.Stage.TLS, "TLS with " + server + " failed: " + e.getMessage(), e);
        }
        return new EwsException(EwsException.Code.IO_ERROR, network, "Talking to " + server + " failed: " + e, e);
    }

    private static EwsException.Code tlsCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateExpiredException) {
                return EwsException.Code.CERTIFICATE_EXPIRED;
            }
            if (t instanceof SSLPeerUnverifiedException
                    || message.contains("No subject alternative")
                    || message.contains("No name matching")
                    || message.contains("doesn't match")) {
                return EwsException.Code.HOSTNAME_MISMATCH;
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return t.getCause() instanceof CertificateExpiredException
                        ? EwsException.Code.CERTIFICATE_EXPIRED
                        : EwsException.Code.UNTRUSTED_CERTIFICATE;
            }
            if (message.contains("Unsupported or unrecognized SSL message")
                    || message.contains("plaintext connection")) {
                return EwsException.Code.TLS_NOT_OFFERED;
            }
        }
        return EwsException.Code.TLS_FAILED;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temporary message file {}: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            LOG.debug("Closing the HTTP client failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "EwsClient[" + endpoint + ", mailbox=" + mailbox.target() + "]";
    }

    /**
     * The response body, failing once more than {@code max} bytes arrive, so a hostile server cannot make us read
     * forever. Commons IO stops at maxCount and then reports; maxCount is one more than allowed, so a body of
     * exactly {@code max} bytes still reads to its end.
     */
    static InputStream bounded(InputStream in, long max) throws IOException {
        return BoundedInputStream.builder()
                .setInputStream(in)
                .setMaxCount(max + 1)
                .setOnMaxCount((limit, count) -> {
                    throw new EwsException(
                            EwsException.Code.PROTOCOL_ERROR, "the server's response is larger than " + max + " bytes");
                })
                .get();
    }
}
