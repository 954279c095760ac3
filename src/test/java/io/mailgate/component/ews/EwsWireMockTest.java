package io.mailgate.component.ews;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingXPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same SOAP templates served by WireMock over HTTPS with Basic authentication; each stub only answers a request
 * whose body has the shape the EWS schema asks for (checked by namespaced XPath), so a malformed request fails.
 */
class EwsWireMockTest {

    private static final Map<String, String> NS =
            Map.of("soap", EwsSoap.NS_SOAP, "m", EwsSoap.NS_MESSAGES, "t", EwsSoap.NS_TYPES);
    private static final String PATH = "/EWS/Exchange.asmx";
    private static final String USER = "soc@example.com";
    private static final String PASSWORD = "Basic-Pa55";
    private static final String ITEM = "AAMkADk0ZWI2NWU1LTZlYmYtNDc3ZS05OTY3LWFkNzI2ZWQ5NWQ0YgBGAAAAAAA=";
    private static final String MIME = "From: reporter@example.com\r\nSubject: phish\r\n\r\nclick here\r\n";

    private WireMockServer wiremock;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        TestTls tls = TestTls.get();
        wiremock = new WireMockServer(options()
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(tls.keystore.toString())
                .keystorePassword("changeit")
                .keyManagerPassword("changeit")
                .keystoreType("PKCS12"));
        wiremock.start();

        // Without credentials: the challenge IIS sends when Basic is enabled on the EWS virtual directory.
        wiremock.stubFor(post(urlEqualTo(PATH))
                .atPriority(10)
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader("WWW-Authenticate", "Negotiate")
                        .withHeader("WWW-Authenticate", "NTLM")
                        .withHeader("WWW-Authenticate", "Basic realm=\"mail.example.com\"")));
        wiremock.stubFor(post(urlEqualTo(PATH))
                .atPriority(1)
                .withBasicAuth(USER, PASSWORD)
                .withHeader("Content-Type", equalTo("text/xml; charset=UTF-8"))
                .withRequestBody(xpath("/soap:Envelope/soap:Header/t:RequestServerVersion[@Version='Exchange2013']"))
                .withRequestBody(xpath("/soap:Envelope/soap:Body/m:FindItem[@Traversal='Shallow']"
                        + "[m:ItemShape/t:BaseShape='IdOnly']"
                        + "[m:IndexedPageItemView[@Offset='0'][@BasePoint='Beginning']]"
                        + "[m:Restriction/t:IsEqualTo[t:FieldURI/@FieldURI='message:IsRead']"
                        + "/t:FieldURIOrConstant/t:Constant[@Value='false']]"
                        + "[m:ParentFolderIds/t:DistinguishedFolderId[@Id='inbox']]"))
                .willReturn(xml(EwsSimulator.template("find-item-response.xml")
                        .replace(
                                "{{items}}",
                                "<t:Message><t:ItemId Id=\"" + ITEM + "\" ChangeKey=\"CQAAABYA\"/></t:Message>")
                        .replace("{{total}}", "1")
                        .replace("{{nextOffset}}", "1")
                        .replace("{{includesLast}}", "true"))));
        wiremock.stubFor(post(urlEqualTo(PATH))
                .atPriority(1)
                .withBasicAuth(USER, PASSWORD)
                .withRequestBody(xpath("/soap:Envelope/soap:Body/m:GetItem"
                        + "[m:ItemShape/t:IncludeMimeContent='true'][m:ItemIds/t:ItemId[@Id='" + ITEM + "']]"))
                .willReturn(xml(EwsSimulator.template("get-item-response.xml")
                        .replace("{{mime}}", Base64.getEncoder().encodeToString(MIME.getBytes(StandardCharsets.UTF_8)))
                        .replace("{{id}}", ITEM)
                        .replace("{{changeKey}}", "CQAAABYA"))));
        wiremock.stubFor(post(urlEqualTo(PATH))
                .atPriority(1)
                .withBasicAuth(USER, PASSWORD)
                .withRequestBody(xpath(updateIsRead()))
                .willReturn(xml(EwsSimulator.template("update-item-response.xml")
                        .replace("{{id}}", ITEM)
                        .replace("{{changeKey}}", "CQAAABYB"))));
    }

    private static String updateIsRead() {
        return "/soap:Envelope/soap:Body/m:UpdateItem[@MessageDisposition='SaveOnly'][@ConflictResolution='AlwaysOverwrite']"
                + "[@SuppressReadReceipts='true']/m:ItemChanges/t:ItemChange[t:ItemId/@Id='" + ITEM + "']"
                + "/t:Updates/t:SetItemField[t:FieldURI/@FieldURI='message:IsRead'][t:Message/t:IsRead='true']";
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        wiremock.stop();
    }

    @Test
    void deliversAndMarksReadWithRequestsShapedAsTheSchemaAsks() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("creds", new EwsCredentials(USER, PASSWORD, EwsCredentials.AuthScheme.BASIC));
        camel.getRegistry().bind("trust", TestTls.get().client);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("ews:wiremock?endpoint=https://localhost:" + wiremock.httpsPort() + PATH + "&mailbox=" + USER
                                + "&credentials=#creds&sslContext=#trust&delay=60000&initialDelay=0")
                        .process(e -> bodies.add(e.getIn().getBody(String.class)));
            }
        });
        camel.start();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        wiremock.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(xpath(updateIsRead()))));
        assertThat(bodies).containsExactly(MIME);
        assertThat(wiremock.findAllUnmatchedRequests()).isEmpty();
    }

    @Test
    void connectionTestCountsUnread() {
        EwsConfiguration c = new EwsConfiguration();
        c.setConnectionKey("wiremock");
        c.setEndpoint("https://localhost:" + wiremock.httpsPort() + PATH);
        c.setMailbox(USER);
        c.setCredentials(new EwsCredentials(USER, PASSWORD, EwsCredentials.AuthScheme.BASIC));
        c.setSslContext(TestTls.get().client);

        assertThat(EwsClient.testConnection(c)).isEqualTo(1);
    }

    private static StringValuePattern xpath(String expression) {
        return matchingXPath(expression, NS);
    }

    private static ResponseDefinitionBuilder xml(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/xml; charset=utf-8")
                .withBody(body);
    }
}
