package io.mailgate.component.msgraph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.ref.Cleaner;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * A {@link HttpClient} for a connection whose proxy speaks TLS itself (proxy protocol HTTPS), which
 * java.net.http cannot do. Each {@link #send} is carried out by an Apache httpclient5 classic client:
 * TLS to the proxy, CONNECT (Basic proxy credentials), then TLS to Entra ID or Graph inside the
 * tunnel, both with the connection's {@link SSLContext} and hostname verification. Redirects are
 * never followed (the callers follow Graph's nextLink by hand, same host only).
 *
 * <p>Only what the Graph and token callers use is adapted: bodies of {@code BodyPublishers.ofString}
 * or {@code noBody}, and push-style body handlers such as {@code ofString} or {@code ofFile}.
 *
 * <p>Failures come back as the JDK client's would, so the callers' classification holds: an
 * {@link IOException} (a {@link HttpConnectTimeoutException}/{@link HttpTimeoutException} for
 * timeouts, an {@link SSLException} for TLS). A proxy that refuses the tunnel, 407 included, is an
 * {@link ProxyTunnelRefusedException} naming the proxy, as the JDK reports a refused CONNECT with an
 * IOException; TLS with the proxy that fails (e.g. its certificate is not trusted) is a
 * {@link ProxyTlsException} naming the proxy.
 *
 * <p>Lifetime: one per connection (or endpoint) generation, like the JDK client it stands in for.
 * JDK 17's HttpClient has no close, so the pooled connections are closed by {@link #close()} when the
 * owner knows, and otherwise when this client becomes unreachable (a {@link Cleaner}).
 *
 * <p>The proxy password is only handed to httpclient5's credentials provider; it is never in a
 * message or in {@link #toString()}.
 */
final class ProxiedOverTlsHttpClient extends HttpClient {

    static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(2);
    static final int CHUNK = 64 * 1024;
    /** Set once the request went past connection set-up; absent, the response is the proxy's answer to CONNECT. */
    private static final String TUNNEL_OPEN = "mailgate.tunnel-open";
    /** Headers the transport sets itself (java.net.http refuses them from callers as well). */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("host", "content-length", "connection", "keep-alive",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "proxy-connection", "proxy-authorization");
    /** Methods that always carry a body, if only an empty one (Content-Length: 0). */
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    private static final Cleaner CLEANER = Cleaner.create();

    private final GraphProxy proxy;
    private final SSLContext sslContext;
    private final CloseableHttpClient client;
    private final Cleaner.Cleanable cleanable;

    ProxiedOverTlsHttpClient(GraphProxy proxy, SSLContext sslContextOrNull) {
        if (proxy.protocol() != GraphProxy.Protocol.HTTPS) {
            throw new IllegalArgumentException("only for a proxy spoken to over TLS");
        }
        this.proxy = proxy;
        this.sslContext = sslContextOrNull != null ? sslContextOrNull : defaultContext();
        this.client = build(proxy, sslContext);
        this.cleanable = CLEANER.register(this, new Closer(client));
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    private static CloseableHttpClient build(GraphProxy proxy, SSLContext ssl) {
        HttpHost proxyHost = new HttpHost("https", proxy.host(), proxy.port());
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                // The same trust decides for the proxy and for Entra ID / Graph; hostname verification stays on.
                .setTlsSocketStrategy(new NamingTlsStrategy(new DefaultClientTlsStrategy(ssl), proxy))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(GraphHttpClients.CONNECT_TIMEOUT))
                        .setSocketTimeout(Timeout.of(DEFAULT_RESPONSE_TIMEOUT))
                        .setValidateAfterInactivity(Timeout.ofSeconds(2))
                        .build())
                // Graph takes at most 4 requests per mailbox at a time; Entra ID is the other route.
                .setMaxConnPerRoute(8)
                .setMaxConnTotal(16)
                .build();
        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        if (proxy.hasCredentials()) {
            credentials.setCredentials(new AuthScope(proxyHost, null, StandardAuthScheme.BASIC),
                    new UsernamePasswordCredentials(proxy.username(),
                            (proxy.password() == null ? "" : proxy.password()).toCharArray()));
        }
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setProxy(proxyHost)
                .setDefaultCredentialsProvider(credentials)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setProxyPreferredAuthSchemes(List.of(StandardAuthScheme.BASIC))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                // MsGraphMailClient decides about 429/503 itself (MailboxThrottle); nothing is retried here
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("mailgate-graph")
                // Runs only once ConnectExec has a usable route (the tunnel is open): marks the exchange.
                .addExecInterceptorAfter(ChainElement.CONNECT.name(), "mailgate-tunnel-open", (request, scope, chain) -> {
                    scope.clientContext.setAttribute(TUNNEL_OPEN, Boolean.TRUE);
                    return chain.proceed(request, scope);
                })
                .build();
    }

    // ---- sending ----

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Duration timeout = request.timeout().orElse(DEFAULT_RESPONSE_TIMEOUT);
        BasicClassicHttpRequest out = new BasicClassicHttpRequest(request.method(), request.uri());
        request.headers().map().forEach((name, values) -> {
            if (!TRANSPORT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> out.addHeader(name, v));
            }
        });
        byte[] body = body(request, timeout);
        if (body.length > 0 || BODY_METHODS.contains(request.method())) {
            out.setEntity(new ByteArrayEntity(body, null));
        }
        HttpClientContext context = HttpClientContext.create();
        // replaces the client's default for this request, so it repeats it with the request's timeout
        context.setRequestConfig(RequestConfig.custom()
                .setProxyPreferredAuthSchemes(List.of(StandardAuthScheme.BASIC))
                .setRedirectsEnabled(false)
                .setResponseTimeout(Timeout.of(timeout))
                .build());
        try (ClassicHttpResponse response = client.executeOpen(null, out, context)) {
            if (context.getAttribute(TUNNEL_OPEN) == null) {
                throw tunnelRefused(request.uri(), response.getCode(), response.getReasonPhrase());
            }
            return respond(request, response, handler, timeout);
        } catch (ConnectTimeoutException e) {
            HttpConnectTimeoutException t = new HttpConnectTimeoutException("connecting to the proxy " + proxyName()
                    + " timed out: " + e.getMessage());
            t.initCause(e);
            throw t;
        } catch (SocketTimeoutException e) {
            HttpTimeoutException t = new HttpTimeoutException("no answer from " + request.uri().getHost()
                    + " through the proxy " + proxyName() + " within " + timeout.toSeconds() + " s");
            t.initCause(e);
            throw t;
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                // as java.net.http: an interrupted send is an InterruptedException
                InterruptedException interrupted = new InterruptedException("interrupted while sending to " + request.uri().getHost());
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    /** As the JDK reports a proxy that refuses CONNECT: an IOException, never the proxy's answer as the server's. */
    private ProxyTunnelRefusedException tunnelRefused(URI target, int status, String reason) {
        String to = target.getHost() + ":" + (target.getPort() > 0 ? target.getPort() : 443);
        if (status == 407) {
            return new ProxyTunnelRefusedException(status, "The proxy " + proxyName() + (proxy.hasCredentials()
                    ? " refused the user name or password of " + proxy.username() : " requires a user name and password")
                    + " (HTTP 407 to CONNECT " + to + ")");
        }
        return new ProxyTunnelRefusedException(status, "The proxy " + proxyName() + " did not open a tunnel to " + to
                + " (HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason) + ")");
    }

    private String proxyName() {
        return proxy.host() + ":" + proxy.port();
    }

    /** The request body, collected from its publisher (the callers' are in-memory strings or empty). */
    private static byte[] body(HttpRequest request, Duration timeout) throws IOException, InterruptedException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(bytes.toByteArray());
            }
        });
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the request body: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new HttpTimeoutException("the request body was not produced within " + timeout.toSeconds() + " s");
        }
    }

    private static <T> HttpResponse<T> respond(HttpRequest request, ClassicHttpResponse response,
                                               HttpResponse.BodyHandler<T> handler, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : response.getHeaders()) {
            map.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
        }
        HttpHeaders headers = HttpHeaders.of(map, (a, b) -> true);
        int status = response.getCode();
        HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public Version version() {
                return Version.HTTP_1_1;
            }
        };
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
        feed(response.getEntity(), subscriber, timeout);
        T body;
        try {
            body = subscriber.getBody().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException("cannot take the response body: " + cause, cause);
        } catch (TimeoutException e) {
            throw new HttpTimeoutException("the response body was not taken within " + timeout.toSeconds() + " s");
        }
        return new Response<>(status, request, headers, body);
    }

    /**
     * Pushes the entity to the subscriber in chunks of at most 64 KiB, as far as it asked for them;
     * {@code ofString} asks for everything at once, {@code ofFile} for one more chunk in each onNext.
     */
    private static void feed(HttpEntity entity, HttpResponse.BodySubscriber<?> subscriber, Duration timeout)
            throws IOException, InterruptedException {
        Demand demand = new Demand();
        subscriber.onSubscribe(demand);
        if (entity == null) {
            subscriber.onComplete();
            return;
        }
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[CHUNK];
            while (true) {
                if (!demand.await(timeout)) {
                    if (demand.cancelled()) {
                        return; // the subscriber wants no more; closing the stream discards the rest
                    }
                    throw new HttpTimeoutException("the response body was not consumed within " + timeout.toSeconds() + " s");
                }
                int n = in.readNBytes(buffer, 0, CHUNK);
                if (n == 0) {
                    subscriber.onComplete();
                    return;
                }
                byte[] chunk = new byte[n]; // the subscriber may keep the buffer (ofString does)
                System.arraycopy(buffer, 0, chunk, 0, n);
                subscriber.onNext(List.of(ByteBuffer.wrap(chunk)));
                if (n < CHUNK) {
                    subscriber.onComplete();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            subscriber.onError(e);
            throw e;
        }
    }

    /** The subscription handed to a body subscriber: counts what it asked for. */
    private static final class Demand implements Flow.Subscription {
        private long requested;
        private boolean cancelled;
        private Throwable invalid;

        @Override
        public synchronized void request(long n) {
            if (n <= 0) {
                invalid = new IllegalArgumentException("request(" + n + ")");
                cancelled = true;
            } else {
                requested = requested + n < 0 ? Long.MAX_VALUE : requested + n;
            }
            notifyAll();
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            notifyAll();
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        /** Waits for demand and takes one unit of it; false when cancelled or nothing was asked for in time. */
        synchronized boolean await(Duration timeout) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (requested == 0 && !cancelled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (invalid != null) {
                throw new IOException("the body subscriber broke the protocol", invalid);
            }
            if (cancelled) {
                return false;
            }
            if (requested != Long.MAX_VALUE) {
                requested--;
            }
            return true;
        }
    }

    private record Response<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body)
            implements HttpResponse<T> {
        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }

        @Override
        public String toString() {
            return "(" + request.method() + " " + request.uri() + ") " + statusCode;
        }
    }

    /** Nothing calls it today; correct all the same: {@link #send} on a thread of its own. */
    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(send(request, handler));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "graph-https-proxy-send");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** HTTP/1.1 has no server push: the handler is never asked. */
    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, handler);
    }

    // ---- TLS naming the proxy ----

    /** Says whether TLS failed with the proxy or with the server behind it; the handshake is the delegate's. */
    private static final class NamingTlsStrategy implements TlsSocketStrategy {
        private final TlsSocketStrategy delegate;
        private final GraphProxy proxy;

        NamingTlsStrategy(TlsSocketStrategy delegate, GraphProxy proxy) {
            this.delegate = delegate;
            this.proxy = proxy;
        }

        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            try {
                return delegate.upgrade(socket, target, port, attachment, context);
            } catch (SSLException e) {
                // the TLS to the proxy is to its host and port; the one inside the tunnel to Entra ID's or Graph's
                String proxyName = proxy.host() + ":" + proxy.port();
                if (target.equalsIgnoreCase(proxy.host()) && port == proxy.port()) {
                    throw new ProxyTlsException("TLS with the proxy " + proxyName + " failed: " + e.getMessage(), e);
                }
                SSLHandshakeException named = new SSLHandshakeException("TLS with " + target + ":" + port
                        + " (through the proxy " + proxyName + ") failed: " + e.getMessage());
                named.initCause(e);
                throw named;
            }
        }
    }

    // ---- the rest of java.net.http.HttpClient ----

    /** Closes the pooled connections; the client cannot send afterwards. */
    void close() {
        cleanable.clean();
    }

    private record Closer(CloseableHttpClient client) implements Runnable {
        @Override
        public void run() {
            client.close(CloseMode.GRACEFUL);
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.of(GraphHttpClients.CONNECT_TIMEOUT);
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    /** Empty: a {@link ProxySelector} cannot describe a proxy spoken to over TLS; see {@link #toString()}. */
    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        return sslContext;
    }

    @Override
    public SSLParameters sslParameters() {
        return sslContext.getDefaultSSLParameters();
    }

    /** Empty: the proxy's credentials are the httpclient5 client's, and no Authorization header is ever dropped. */
    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "ProxiedOverTlsHttpClient[proxy https://" + proxy.host() + ":" + proxy.port()
                + (proxy.hasCredentials() ? ", username=" + proxy.username() + ", password=***" : "") + "]";
    }
}
