package io.mailgate.component.msgraph;

import javax.net.ssl.SSLContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * Options of an ms-graph-mail endpoint. Credentials never appear in the URI: the access token comes
 * from the {@code tokenProvider} bean, the proxy (with its password) from the {@code proxy} bean.
 */
@UriParams
public class MsGraphMailConfiguration implements Cloneable {

    public static final String DEFAULT_BASE_URL = "https://graph.microsoft.com";

    @UriParam(
            defaultValue = DEFAULT_BASE_URL,
            description = "The Graph endpoint of the cloud: https://graph.microsoft.com, https://graph.microsoft.us,"
                    + " https://dod-graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn (or a test URL).")
    private String baseUrl = DEFAULT_BASE_URL;

    @UriParam(
            description = "The shared mailbox's address, read with the signed-in account's access (/users/{mailbox})."
                    + " Empty: the signed-in account's own mailbox (/me). For primary\\shared the part after"
                    + " the last backslash is used.")
    private String mailbox;

    @UriParam(
            defaultValue = "Inbox",
            description = "The folder to read: a well-known name (Inbox, JunkEmail, …) or a path of display names"
                    + " separated by '/', e.g. Inbox/Phishing.")
    private String folder = "Inbox";

    @UriParam(
            label = "security",
            description = "The bean giving access tokens (a GraphTokenProvider), e.g. #graphTokens.")
    @Metadata(required = true)
    private GraphTokenProvider tokenProvider;

    @UriParam(
            label = "security",
            description = "The connection's trust (its trusted certificates) as a bean; default: the JVM's.")
    private SSLContext sslContext;

    @UriParam(
            label = "proxy",
            description = "The connection's proxy as an io.mailgate.component.msgraph.GraphProxy bean.")
    private GraphProxy proxy;

    @UriParam(
            label = "advanced",
            description = "An Apache HttpClient 5 bean to use instead of one built from sslContext and proxy.")
    private CloseableHttpClient httpClient;

    @UriParam(
            label = "consumer",
            defaultValue = "50",
            description = "The most messages to process in one poll (0 or less: all unread).")
    private int maxMessagesPerPoll = 50;

    @UriParam(label = "consumer", defaultValue = "50", description = "Messages per Graph page ($top), 1-1000.")
    private int pageSize = 50;

    @UriParam(
            label = "consumer",
            defaultValue = "4",
            description = "Messages downloaded, and marked read, at the same"
                    + " time: 1-4 (Exchange Online allows 4 concurrent requests per mailbox and app).")
    private int parallelRequests = MailboxThrottle.MAX_CONCURRENT_REQUESTS;

    @UriParam(
            label = "consumer",
            defaultValue = "true",
            description = "Read the folder by delta query: each poll asks"
                    + " Graph only for the messages new or changed since the last (the delta link is kept in deltaStore). false:"
                    + " list the folder's unread messages at every poll.")
    private boolean deltaSync = true;

    @UriParam(
            label = "consumer,advanced",
            description = "Where the folder's delta link is kept between polls and"
                    + " restarts (an io.mailgate.component.msgraph.GraphDeltaStore bean); default: in memory, so a restart"
                    + " begins with a full round.")
    private GraphDeltaStore deltaStore;

    @UriParam(
            label = "consumer",
            description =
                    "Change notifications: the channel (an"
                            + " io.mailgate.component.msgraph.GraphPushChannel bean) giving the URL Microsoft posts to and handing the"
                            + " verified notifications to this endpoint, which then reads the folder at once. None: polling only.")
    private GraphPushChannel pushChannel;

    @UriParam(
            label = "consumer",
            defaultValue = "4200",
            description = "Minutes a change-notification subscription"
                    + " lasts before it is renewed at half of it (Microsoft allows at most 4230 for messages).")
    private int subscriptionLifetimeMinutes = 4200;

    @UriParam(
            label = "consumer",
            defaultValue = "600000",
            description = "Milliseconds after a failed subscription"
                    + " (or renewal) before it is tried again; meanwhile the endpoint polls.")
    private long subscriptionRetryDelay = 600_000L;

    public boolean isDeltaSync() {
        return deltaSync;
    }

    public void setDeltaSync(boolean deltaSync) {
        this.deltaSync = deltaSync;
    }

    public GraphDeltaStore getDeltaStore() {
        return deltaStore;
    }

    public void setDeltaStore(GraphDeltaStore deltaStore) {
        this.deltaStore = deltaStore;
    }

    public GraphPushChannel getPushChannel() {
        return pushChannel;
    }

    public void setPushChannel(GraphPushChannel pushChannel) {
        this.pushChannel = pushChannel;
    }

    public int getSubscriptionLifetimeMinutes() {
        return subscriptionLifetimeMinutes;
    }

    public void setSubscriptionLifetimeMinutes(int subscriptionLifetimeMinutes) {
        if (subscriptionLifetimeMinutes < 1 || subscriptionLifetimeMinutes > 4230) {
            throw new IllegalArgumentException(
                    "subscriptionLifetimeMinutes must be 1 to 4230 (Microsoft's maximum for" + " messages)");
        }
        this.subscriptionLifetimeMinutes = subscriptionLifetimeMinutes;
    }

    public long getSubscriptionRetryDelay() {
        return subscriptionRetryDelay;
    }

    public void setSubscriptionRetryDelay(long subscriptionRetryDelay) {
        this.subscriptionRetryDelay = Math.max(100, subscriptionRetryDelay);
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
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
        this.folder = folder;
    }

    public GraphTokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(GraphTokenProvider tokenProvider) {
        this.tokenProvider = tokenProvider;
    }

    public SSLContext getSslContext() {
        return sslContext;
    }

    public void setSslContext(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    public GraphProxy getProxy() {
        return proxy;
    }

    public void setProxy(GraphProxy proxy) {
        this.proxy = proxy;
    }

    public CloseableHttpClient getHttpClient() {
        return httpClient;
    }

    public void setHttpClient(CloseableHttpClient httpClient) {
        this.httpClient = httpClient;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public int getParallelRequests() {
        return parallelRequests;
    }

    public void setParallelRequests(int parallelRequests) {
        if (parallelRequests < 1 || parallelRequests > MailboxThrottle.MAX_CONCURRENT_REQUESTS) {
            throw new IllegalArgumentException(
                    "parallelRequests must be 1 to " + MailboxThrottle.MAX_CONCURRENT_REQUESTS);
        }
        this.parallelRequests = parallelRequests;
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public MsGraphMailConfiguration copy() {
        try {
            return (MsGraphMailConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    @Override
    public String toString() {
        return "MsGraphMailConfiguration[baseUrl=" + baseUrl + ", mailbox=" + (mailbox == null ? "me" : mailbox)
                + ", folder=" + folder + ", proxy=" + proxy + "]";
    }
}
