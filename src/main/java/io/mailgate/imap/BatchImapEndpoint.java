package io.mailgate.imap;

import io.mailgate.ingest.RawSpool;
import jakarta.mail.Authenticator;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/** Reads the unseen messages of one IMAP folder in batches; consumer only. */
@UriEndpoint(
        firstVersion = "4.17.0",
        scheme = "mailgate-imap,mailgate-imaps",
        title = "mailgate IMAP (batch)",
        syntax = "mailgate-imap:host:port",
        consumerOnly = true,
        category = {Category.MAIL})
public class BatchImapEndpoint extends ScheduledPollEndpoint {

    static final long DEFAULT_DELAY = 60_000;
    static final Duration MAX_IDLE = Duration.ofMinutes(29);

    @UriPath(description = "Host name or IP address of the IMAP server")
    @Metadata(required = true)
    private String host;

    @UriPath(description = "Port of the IMAP server; 993 for imaps, 143 otherwise when absent")
    private int port;

    @UriParam(defaultValue = "INBOX", description = "The folder to read")
    private String folderName = "INBOX";

    @UriParam(label = "security", description = "The connection's Jakarta Mail session (protocol, TLS trust, timeouts)")
    @Metadata(required = true)
    private Session session;

    @UriParam(
            label = "security",
            secret = true,
            description = "The authenticator Jakarta Mail asks for the user name and password when connecting")
    private Authenticator authenticator;

    @UriParam(description = "Where raw messages are spooled (the pipeline's RawSpool)")
    @Metadata(required = true)
    private RawSpool spool;

    @UriParam(
            label = "consumer",
            defaultValue = "100",
            description = "Messages taken per round (one UID SEARCH); the consumer searches again at once until"
                    + " nothing unseen is left")
    private int maxMessagesPerPoll = 100;

    @UriParam(label = "advanced", defaultValue = "50", description = "The most messages fetched by one UID FETCH")
    private int fetchMaxMessages = 50;

    @UriParam(
            label = "advanced",
            defaultValue = "8388608",
            description = "Byte budget of one UID FETCH (by RFC822.SIZE); a larger message is streamed in chunks")
    private long fetchMaxBytes = 8L * 1024 * 1024;

    @UriParam(label = "advanced", defaultValue = "1048576", description = "Chunk size when streaming a large message")
    private int chunkBytes = 1024 * 1024;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "After draining, wait with IMAP IDLE (RFC 2177) and drain at once when mail arrives; the"
                    + " scheduled poll stays as a safety net (at least every 29 minutes, which also renews IDLE)")
    private boolean idle;

    @UriParam(
            label = "consumer",
            defaultValue = "300000",
            description = "While idling, a NOOP every this many milliseconds proves the connection alive (one that"
                    + " died silently is reconnected) and renews the IDLE")
    private long idleKeepAlive = 300_000;

    BatchImapEndpoint(String uri, BatchImapComponent component) {
        super(uri, component);
        setDelay(DEFAULT_DELAY);
    }

    void validate() {
        if (session == null) {
            throw new IllegalArgumentException("The IMAP endpoint needs a session (session=#bean)");
        }
        if (spool == null) {
            throw new IllegalArgumentException("The IMAP endpoint needs a spool (spool=#rawSpool)");
        }
        if (idleKeepAlive < 1000) {
            throw new IllegalArgumentException("idleKeepAlive must be at least 1000 ms");
        }
        if (fetchMaxMessages < 1 || fetchMaxBytes < 1 || chunkBytes < 1024) {
            throw new IllegalArgumentException(
                    "fetchMaxMessages, fetchMaxBytes and chunkBytes (>= 1024) must be positive");
        }
    }

    @Override
    public BatchImapComponent getComponent() {
        return (BatchImapComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("The IMAP source only reads mail");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        BatchImapConsumer consumer = new BatchImapConsumer(this, processor);
        consumer.setMaxMessagesPerPoll(maxMessagesPerPoll);
        configureConsumer(consumer);
        if (getScheduledExecutorService() == null) {
            // All IMAP sources share one bounded scheduler instead of a thread each (set after configureConsumer,
            // which copies the endpoint's own, empty, setting).
            consumer.setScheduledExecutorService(getComponent().workers().scheduler());
        }
        if (idle && consumer.getDelay() > MAX_IDLE.toMillis()) {
            // Servers drop a client idle for 30 minutes (RFC 2177): the safety-net poll renews IDLE before that.
            consumer.setDelay(MAX_IDLE.toMillis());
        }
        return consumer;
    }

    /** The session to connect with: the connection's own, asking its authenticator for the credentials. */
    Session connectSession() {
        Map<String, Object> extra = new HashMap<>();
        String protocol = session.getProperty("mail.store.protocol");
        extra.put(
                "mail." + protocol + ".executor.writetimeout",
                getComponent().workers().writeTimeouts());
        if (idle) {
            // IdleManager selects on socket channels; events of all folders go through one shared dispatcher.
            extra.put("mail." + protocol + ".usesocketchannels", "true");
            extra.put("mail.event.scope", "application");
            extra.put("mail.event.executor", getComponent().workers().events());
        }
        return ImapSessions.derive(session, authenticator, extra);
    }

    public boolean isIdle() {
        return idle;
    }

    public void setIdle(boolean idle) {
        this.idle = idle;
    }

    public long getIdleKeepAlive() {
        return idleKeepAlive;
    }

    public void setIdleKeepAlive(long idleKeepAlive) {
        this.idleKeepAlive = idleKeepAlive;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getFolderName() {
        return folderName;
    }

    public void setFolderName(String folderName) {
        this.folderName = folderName;
    }

    public Session getSession() {
        return session;
    }

    public void setSession(Session session) {
        this.session = session;
    }

    public Authenticator getAuthenticator() {
        return authenticator;
    }

    public void setAuthenticator(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    public RawSpool getSpool() {
        return spool;
    }

    public void setSpool(RawSpool spool) {
        this.spool = spool;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public int getFetchMaxMessages() {
        return fetchMaxMessages;
    }

    public void setFetchMaxMessages(int fetchMaxMessages) {
        this.fetchMaxMessages = fetchMaxMessages;
    }

    public long getFetchMaxBytes() {
        return fetchMaxBytes;
    }

    public void setFetchMaxBytes(long fetchMaxBytes) {
        this.fetchMaxBytes = fetchMaxBytes;
    }

    public int getChunkBytes() {
        return chunkBytes;
    }

    public void setChunkBytes(int chunkBytes) {
        this.chunkBytes = chunkBytes;
    }
}
