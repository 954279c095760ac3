package io.mailgate.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.component.ews.EwsCredentials;
import io.mailgate.component.ews.EwsEndpoint;
import io.mailgate.component.ews.EwsProxy;
import io.mailgate.component.msgraph.MsGraphMailEndpoint;
import io.mailgate.oauth.AccessTokenProvider;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.Test;

/**
 * The route templates integration engineers read, fed by {@link RouteSpec}s as {@link ConnectionRoutes} adds them:
 * every template-local bean reaches the route's endpoint, an optional one (the EWS proxy) only when given, and none is
 * left in the Camel registry, where bean: and languages could call it. Plain Camel, no application: the routes are
 * made but not started (no network).
 */
class RouteSpecTest {

    @Test
    void ewsBeansReachTheEndpointAndStayOutOfTheRegistry() throws Exception {
        EwsCredentials credentials =
                EwsCredentials.forEmailAddress("soc@example.com", "ews-secret-1", EwsCredentials.AuthScheme.NTLM);
        EwsProxy proxy = new EwsProxy(EwsProxy.Protocol.HTTPS, "proxy.example.com", 3128, "u", "proxy-secret-1");
        SSLContext ssl = SSLContext.getDefault();
        try (CamelContext camel = camel("routes/ews-source.yaml")) {
            ews("ews-default-withproxy")
                    .bean("credentials", credentials)
                    .bean("sslContext", ssl)
                    .optionalBean("proxy", proxy)
                    .addTo(camel, "ews-default-withproxy");
            ews("ews-default-noproxy")
                    .bean("credentials", credentials)
                    .bean("sslContext", ssl)
                    .optionalBean("proxy", null)
                    .addTo(camel, "ews-default-noproxy");
            camel.start();

            var with = ((EwsEndpoint) camel.getRoute("ews-default-withproxy").getEndpoint()).getConfiguration();
            assertThat(with.getCredentials()).isSameAs(credentials);
            assertThat(with.getSslContext()).isSameAs(ssl);
            assertThat(with.getProxy()).isSameAs(proxy);
            var without = ((EwsEndpoint) camel.getRoute("ews-default-noproxy").getEndpoint()).getConfiguration();
            assertThat(without.getCredentials()).isSameAs(credentials);
            assertThat(without.getProxy()).isNull();

            assertThat(camel.getRegistry().findByType(EwsCredentials.class)).isEmpty();
            assertThat(camel.getRegistry().findByType(EwsProxy.class)).isEmpty();
            // each route's beans have names of their own: a new route never reuses an old endpoint
            assertThat(camel.getRoute("ews-default-withproxy").getEndpoint().getEndpointUri())
                    .contains("mailgate-credentials-")
                    .doesNotContain("secret")
                    .isNotEqualTo(
                            camel.getRoute("ews-default-noproxy").getEndpoint().getEndpointUri());
        }
    }

    @Test
    void graphBeansReachTheEndpointAndStayOutOfTheRegistry() throws Exception {
        AccessTokenProvider tokens = () -> "token-secret-1";
        CloseableHttpClient http = HttpClients.createDefault();
        try (CamelContext camel = camel("routes/graph-source.yaml")) {
            RouteSpec.of("mailgate-graph-source")
                    .parameter("connectionId", 7L)
                    .parameter("connectionKey", "oauth-default-m365")
                    .parameter("baseUrl", "https://graph.example.test")
                    .parameter("mailbox", "")
                    .parameter("folder", "Inbox")
                    .parameter("delay", 60_000L)
                    .bean("httpClient", http)
                    .bean("tokenProvider", tokens)
                    .addTo(camel, "oauth-default-m365");
            camel.start();
            var configuration =
                    ((MsGraphMailEndpoint) camel.getRoute("oauth-default-m365").getEndpoint()).getConfiguration();
            assertThat(configuration.getTokenProvider()).isSameAs(tokens);
            assertThat(configuration.getHttpClient()).isSameAs(http);
            assertThat(camel.getRegistry().findByType(AccessTokenProvider.class))
                    .isEmpty();
            assertThat(camel.getRegistry().findByType(CloseableHttpClient.class))
                    .isEmpty();
        }
    }

    private static RouteSpec ews(String routeId) {
        return RouteSpec.of("mailgate-ews-source")
                .parameter("connectionId", 3L)
                .parameter("connectionKey", routeId)
                .parameter("endpoint", "https://mail.example.test/EWS/Exchange.asmx")
                .parameter("mailbox", "soc@example.com")
                .parameter("folder", "Inbox")
                .parameter("delay", 60_000L)
                .parameter("workDir", "target/route-spec-test")
                .parameter("maxMessageSize", 1_000_000L);
    }

    /** A Camel context with one real template and the two beans every source route names, routes not started. */
    private static CamelContext camel(String template) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.setAutoStartup(false);
        camel.getRegistry().bind("mailgatePollStrategy", new PollingConsumerPollStrategy() {
            @Override
            public boolean begin(Consumer consumer, Endpoint endpoint) {
                return true;
            }

            @Override
            public void commit(Consumer consumer, Endpoint endpoint, int polled) {}

            @Override
            public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
                return false;
            }
        });
        camel.getRegistry().bind("streamSourceReader", (Processor) (Exchange exchange) -> {});
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "classpath:" + template));
        return camel;
    }
}
