package io.mailgate.component.ews;

import io.mailgate.component.mailbox.PushModeListener;
import javax.net.ssl.SSLContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Options of an {@code ews:} endpoint. Secrets come only as bean references ({@link EwsCredentials},
 * {@link EwsProxy}); everything else is plain text. {@link #toString()} prints no secret.
 */
@UriParams
public class EwsConfiguration implements Cloneable {

    static final String DEFAULT_FOLDER = "Inbox";

    @UriPath(description = "A name for this connection, used in logs and thread names")
    @Metadata(required = true)
    private String connectionKey;

    @UriParam(description = "The EWS URL, such as https://mail.example.com/EWS/Exchange.asmx")
    @Metadata(required = true)
    private String endpoint;

    @UriParam(
            description = "The mailbox to read: user@domain, or primary@domain\\shared@domain to read a shared "
                    + "mailbox with the primary account's credentials")
    @Metadata(required = true)
    private String mailbox;

    @UriParam(
            defaultValue = DEFAULT_FOLDER,
            description = "The source folder, by display name or path (Inbox/Phishing)")
    private String folder = DEFAULT_FOLDER;

    @UriParam(
            label = "security",
            secret = true,
            description = "Reference to an EwsCredentials bean: user name, password and NTLM or BASIC")
    @Metadata(required = true)
    private EwsCredentials credentials;

    @UriParam(
            label = "security",
            description =
                    "Reference to the SSLContext that decides which server (and HTTPS proxy) certificates to trust")
    private SSLContext sslContext;

    @UriParam(label = "proxy", secret = true, description = "Reference to an EwsProxy bean; no proxy when absent")
    private EwsProxy proxy;

    @UriParam(label = "consumer", defaultValue = "100", description = "The most messages to fetch in one poll")
    private int maxMessagesPerPoll = 100;

    @UriParam(
            label = "consumer",
            defaultValue = "10",
            description = "The most messages one GetItem fetches together (1: one request per message)")
    private int fetchBatchSize = 10;

    @UriParam(
            label = "consumer",
            defaultValue = "10485760",
            description = "The most bytes (as Exchange reports the items' sizes) one GetItem fetches together; a larger"
                    + " message is fetched alone")
    private long fetchBatchBytes = 10L * 1024 * 1024;

    @UriParam(
            label = "consumer",
            defaultValue = "50",
            description = "The most messages one UpdateItem marks read together (1: one request per message)")
    private int markReadBatchSize = 50;

    @UriParam(
            label = "advanced",
            defaultValue = "50",
            description = "How many item ids to ask for in one FindItem page")
    private int pageSize = 50;

    @UriParam(
            label = "advanced",
            defaultValue = "209715200",
            description = "The largest message (decoded MIME, bytes) to fetch; larger ones are skipped and logged")
    private long maxMessageSize = 200L * 1024 * 1024;

    @UriParam(
            label = "advanced",
            description = "Directory for the temporary MIME files; the system temp dir when absent")
    private String workDir;

    @UriParam(label = "advanced", defaultValue = "30000", description = "Connect timeout in milliseconds")
    private int connectTimeout = 30_000;

    @UriParam(
            label = "advanced",
            defaultValue = "300000",
            description = "Socket (read) timeout in milliseconds; large messages need a generous one")
    private int socketTimeout = 300_000;

    @UriParam(
            label = "advanced",
            defaultValue = "60000",
            description = "How long to back off, in milliseconds, when the server throttles without saying how long")
    private long throttleBackOff = 60_000;

    @UriParam(
            label = "advanced",
            defaultValue = "3600000",
            description = "The longest back-off to honour, in milliseconds")
    private long maxThrottleBackOff = 3_600_000;

    @UriParam(
            label = "consumer",
            defaultValue = "false",
            description = "EWS streaming notifications: subscribe to new"
                    + " mail in the folder and poll at once when Exchange reports some (the scheduled polls go on); on failure"
                    + " the endpoint keeps polling and tries again after streamingRetryDelay.")
    private boolean streaming;

    @UriParam(
            label = "consumer",
            defaultValue = "29",
            description =
                    "Minutes one GetStreamingEvents connection stays"
                            + " open (ConnectionTimeout, 1-29: below Exchange's 30-minute limit); it is opened again when it ends.")
    private int streamingConnectionTimeout = 29;

    @UriParam(
            label = "consumer",
            defaultValue = "60000",
            description = "Milliseconds before a failed subscription or"
                    + " stream is tried again; meanwhile the endpoint polls.")
    private long streamingRetryDelay = 60_000;

    @UriParam(
            label = "consumer",
            description = "Where the endpoint says whether it is pushed to or polls, and why (an"
                    + " io.mailgate.component.mailbox.PushModeListener bean).")
    private PushModeListener pushModes;

    public boolean isStreaming() {
        return streaming;
    }

    public void setStreaming(boolean streaming) {
        this.streaming = streaming;
    }

    public int getStreamingConnectionTimeout() {
        return streamingConnectionTimeout;
    }

    public void setStreamingConnectionTimeout(int streamingConnectionTimeout) {
        if (streamingConnectionTimeout < 1 || streamingConnectionTimeout > 29) {
            throw new IllegalArgumentException(
                    "streamingConnectionTimeout must be 1 to 29 minutes (Exchange allows 30)");
        }
        this.streamingConnectionTimeout = streamingConnectionTimeout;
    }

    public long getStreamingRetryDelay() {
        return streamingRetryDelay;
    }

    public void setStreamingRetryDelay(long streamingRetryDelay) {
        this.streamingRetryDelay = Math.max(100, streamingRetryDelay);
    }

    public PushModeListener getPushModes() {
        return pushModes;
    }

    public void setPushModes(PushModeListener pushModes) {
        this.pushModes = pushModes;
    }

    /** Checks the options without touching the network; messages name the option. */
    void validate() {
        require(connectionKey, "connectionKey");
        EwsEndpointValidator.validate(endpoint).ifPresent(message -> {
            throw new IllegalArgumentException("endpoint: " + message);
        });
        require(mailbox, "mailbox");
        EwsMailbox.parse(mailbox);
        if (credentials == null) {
            throw new IllegalArgumentException("credentials: a reference to an EwsCredentials bean is required");
        }
        if (fetchBatchSize <= 0 || markReadBatchSize <= 0 || fetchBatchBytes <= 0) {
            throw new IllegalArgumentException(
                    "fetchBatchSize, fetchBatchBytes and markReadBatchSize must be positive");
        }
        if (maxMessagesPerPoll < 1 || pageSize < 1 || maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessagesPerPoll, pageSize and maxMessageSize must be positive");
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    EwsMailbox parsedMailbox() {
        return EwsMailbox.parse(mailbox);
    }

    public String getConnectionKey() {
        return connectionKey;
    }

    public void setConnectionKey(String connectionKey) {
        this.connectionKey = connectionKey;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getMailbox() {
        return mailbox;
    }

    public void setMailbox(String mailbox) {
        this.mailbox = mailbox;
    }

    public String getFolder() {
        return folder;
    }

    public void setFolder(String folder) {
        this.folder = folder == null || folder.isBlank() ? DEFAULT_FOLDER : folder;
    }

    public EwsCredentials getCredentials() {
        return credentials;
    }

    public void setCredentials(EwsCredentials credentials) {
        this.credentials = credentials;
    }

    public SSLContext getSslContext() {
        return sslContext;
    }

    public void setSslContext(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    public EwsProxy getProxy() {
        return proxy;
    }

    public void setProxy(EwsProxy proxy) {
        this.proxy = proxy;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public long getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public String getWorkDir() {
        return workDir;
    }

    public void setWorkDir(String workDir) {
        this.workDir = workDir;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getSocketTimeout() {
        return socketTimeout;
    }

    public void setSocketTimeout(int socketTimeout) {
        this.socketTimeout = socketTimeout;
    }

    public int getFetchBatchSize() {
        return fetchBatchSize;
    }

    public void setFetchBatchSize(int fetchBatchSize) {
        this.fetchBatchSize = fetchBatchSize;
    }

    public long getFetchBatchBytes() {
        return fetchBatchBytes;
    }

    public void setFetchBatchBytes(long fetchBatchBytes) {
        this.fetchBatchBytes = fetchBatchBytes;
    }

    public int getMarkReadBatchSize() {
        return markReadBatchSize;
    }

    public void setMarkReadBatchSize(int markReadBatchSize) {
        this.markReadBatchSize = markReadBatchSize;
    }

    public long getThrottleBackOff() {
        return throttleBackOff;
    }

    public void setThrottleBackOff(long throttleBackOff) {
        this.throttleBackOff = throttleBackOff;
    }

    public long getMaxThrottleBackOff() {
        return maxThrottleBackOff;
    }

    public void setMaxThrottleBackOff(long maxThrottleBackOff) {
        this.maxThrottleBackOff = maxThrottleBackOff;
    }

    /** A copy for one endpoint; the bean references (credentials, proxy, SSLContext) are shared, they do not change. */
    public EwsConfiguration copy() {
        try {
            return (EwsConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    @Override
    public String toString() {
        return "EwsConfiguration[connectionKey=" + connectionKey + ", endpoint=" + endpoint + ", mailbox=" + mailbox
                + ", folder=" + folder + ", credentials=" + credentials + ", proxy=" + proxy + "]";
    }
}
