package io.mailgate.component.msgraph;

import io.mailgate.oauth.AccessTokenProvider;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of an ms-graph-mail endpoint. Credentials never appear in the URI: the access token comes
 * from the {@code tokenProvider} bean, the proxy (with its password) from the {@code proxy} bean.
 */
@UriParams
public class MsGraphMailConfiguration implements Cloneable {

    public static final String DEFAULT_BASE_URL = "https://graph.microsoft.com";

    @UriParam(defaultValue = DEFAULT_BASE_URL,
              description = "The Graph endpoint of the cloud: https://graph.microsoft.com, https://graph.microsoft.us,"
                            + " https://dod-graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn (or a test URL).")
    private String baseUrl = DEFAULT_BASE_URL;

    @UriParam(description = "The shared mailbox's address, read with the signed-in account's access (/users/{mailbox})."
                            + " Empty: the signed-in account's own mailbox (/me). For primary\\shared the part after"
                            + " the last backslash is used.")
    private String mailbox;

    @UriParam(defaultValue = "Inbox",
              description = "The folder to read: a well-known name (Inbox, JunkEmail, …) or a path of display names"
                            + " separated by '/', e.g. Inbox/Phishing.")
    private String folder = "Inbox";

    @UriParam(label = "security",
              description = "The bean giving access tokens (io.mailgate.oauth.AccessTokenProvider), e.g. #graphTokens.")
    @Metadata(required = true)
    private AccessTokenProvider tokenProvider;

    @UriParam(label = "security", description = "The connection's trust (its trusted certificates) as a bean; default: the JVM's.")
    private SSLContext sslContext;

    @UriParam(label = "proxy", description = "The connection's proxy as an io.mailgate.component.msgraph.GraphProxy bean.")
    private GraphProxy proxy;

    @UriParam(label = "advanced",
              description = "An HTTP client bean to use instead of one built from sslContext and proxy.")
    private HttpClient httpClient;

    @UriParam(label = "consumer", defaultValue = "50",
              description = "The most messages to process in one poll (0 or less: all unread).")
    private int maxMessagesPerPoll = 50;

    @UriParam(label = "consumer", defaultValue = "50", description = "Messages per Graph page ($top), 1-1000.")
    private int pageSize = 50;

    @UriParam(label = "consumer", defaultValue = "4", description = "Messages downloaded, and marked read, at the same"
            + " time: 1-4 (Exchange Online allows 4 concurrent requests per mailbox and app).")
    private int parallelRequests = MailboxThrottle.MAX_CONCURRENT_REQUESTS;

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

    public AccessTokenProvider getTokenProvider() {
        return tokenProvider;
    }

    public void setTokenProvider(AccessTokenProvider tokenProvider) {
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

    public HttpClient getHttpClient() {
        return httpClient;
    }

    public void setHttpClient(HttpClient httpClient) {
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
            throw new IllegalArgumentException("parallelRequests must be 1 to " + MailboxThrottle.MAX_CONCURRENT_REQUESTS);
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
