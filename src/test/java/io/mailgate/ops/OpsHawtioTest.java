package io.mailgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Hawtio and Jolokia inside mailgate: admins only, routes managed as Hawtio does it, and no secret to be seen. */
class OpsHawtioTest extends IngestTestSupport {

    /** A signed-in Hawtio session: Basic credentials, and the CSRF cookie Hawtio echoes in X-XSRF-TOKEN. */
    record Session(String csrf) {}

    Session hawtio() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, admin());
        ResponseEntity<String> page =
                http.exchange("/actuator/hawtio/", HttpMethod.GET, new HttpEntity<>(headers), String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        String cookie = page.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE).stream()
                .filter(c -> c.startsWith("XSRF-TOKEN="))
                .findFirst()
                .orElseThrow();
        return new Session(cookie.substring("XSRF-TOKEN=".length(), cookie.indexOf(';')));
    }

    JsonNode jolokia(Session session, Object request) {
        ResponseEntity<String> response = jolokiaPost(session, request);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        try {
            return json.readTree(response.getBody());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    ResponseEntity<String> jolokiaPost(Session session, Object request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, admin());
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (session != null) {
            headers.add(HttpHeaders.COOKIE, "XSRF-TOKEN=" + session.csrf());
            headers.set("X-XSRF-TOKEN", session.csrf());
        }
        try {
            return http.exchange(
                    "/actuator/jolokia",
                    HttpMethod.POST,
                    new HttpEntity<>(json.writeValueAsString(request), headers),
                    String.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String routeMBean(Session session, String routeId) {
        JsonNode found = jolokia(session, Map.of("type", "search", "mbean", "org.apache.camel:type=routes,*"));
        List<String> names = new ArrayList<>();
        found.get("value").forEach(n -> names.add(n.asText()));
        return names.stream()
                .filter(n -> n.contains("name=\"" + routeId + "\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no MBean for route " + routeId + " in " + names));
    }

    @Test
    void hawtioAndJolokiaAreForSignedInAdminsOnly() {
        assertThat(http.getForEntity("/actuator/hawtio/", String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(401);
        assertThat(http.getForEntity("/actuator/jolokia/version", String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(401);
        Session session = hawtio();
        assertThat(jolokia(session, Map.of("type", "version"))
                        .at("/value/agent")
                        .asText())
                .isNotBlank();
        // a POST without Hawtio's CSRF header is refused
        assertThat(jolokiaPost(null, Map.of("type", "version")).getStatusCode().value())
                .isEqualTo(403);
    }

    @Test
    void aRouteStoppedInHawtioStaysStoppedUntilStartedThere() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        String routeId = get("/api/v1/orgs/default/connections/" + connection + "/status")
                .json()
                .get("routeId")
                .asText();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING"));

        Session session = hawtio();
        String mbean = routeMBean(session, routeId);
        assertThat(jolokia(session, Map.of("type", "read", "mbean", mbean, "attribute", "RouteId"))
                        .get("value")
                        .asText())
                .isEqualTo(routeId);

        assertThat(jolokia(session, Map.of("type", "exec", "mbean", mbean, "operation", "stop()"))
                        .get("status")
                        .asInt())
                .isEqualTo(200);
        JsonNode stopped = status(connection);
        assertThat(stopped.get("state").asText()).isEqualTo("STOPPED");
        assertThat(stopped.get("reason").asText()).contains("Stopped");
        deliver(mailbox, message(newMessageId(), "Sent while stopped", "x"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(status(connection).get("state").asText()).isEqualTo("STOPPED");
            assertThat(messages(connection)).isEmpty();
        });

        jolokia(session, Map.of("type", "exec", "mbean", mbean, "operation", "start()"));
        awaitMessages(connection, 1);
        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING");

        jolokia(session, Map.of("type", "exec", "mbean", mbean, "operation", "suspend()"));
        assertThat(status(connection).get("state").asText()).isEqualTo("STOPPED");
        assertThat(status(connection).get("reason").asText()).contains("Suspended");
        jolokia(session, Map.of("type", "exec", "mbean", mbean, "operation", "resume()"));
        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void noSecretInAnyCamelAttributeEndpointUriOrRouteDump() throws Exception {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), "Something to process", "x"));
        awaitMessages(connection, 1);
        Session session = hawtio();

        List<String> seen = new ArrayList<>();
        JsonNode endpoints = jolokia(
                session,
                Map.of("type", "read", "mbean", "org.apache.camel:type=endpoints,*", "attribute", "EndpointUri"));
        seen.add(endpoints.toString());
        assertThat(endpoints.toString())
                .contains("imap://127.0.0.1:" + MAIL.getImap().getPort())
                .contains("authenticator=%23mailgate-authenticator-");
        JsonNode everything = jolokia(
                session,
                Map.of(
                        "type",
                        "read",
                        "mbean",
                        "org.apache.camel:*",
                        "config",
                        Map.of("ignoreErrors", true, "serializeLong", "number")));
        seen.add(everything.toString());
        String contextMBean = jolokia(session, Map.of("type", "search", "mbean", "org.apache.camel:type=context,*"))
                .get("value")
                .get(0)
                .asText();
        for (String dump : List.of("dumpRoutesAsXml()", "dumpRouteTemplatesAsXml()", "dumpRoutesAsYaml()")) {
            seen.add(jolokia(session, Map.of("type", "exec", "mbean", contextMBean, "operation", dump))
                    .toString());
        }
        JsonNode runtime = jolokia(
                session, Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", "SystemProperties"));
        assertThat(runtime.get("status").asInt()).isEqualTo(403);

        assertThat(seen)
                .allSatisfy(text -> assertThat(text)
                        .doesNotContain(mailbox.password())
                        .doesNotContain(MASTER_KEY)
                        .doesNotContain(ADMIN_PASSWORD)
                        .doesNotContain(SOAR_HMAC_SECRET));
    }

    @Autowired
    CamelContext camel;

    String contextMBean(Session session) {
        return jolokia(session, Map.of("type", "search", "mbean", "org.apache.camel:type=context,*"))
                .get("value")
                .get(0)
                .asText();
    }

    /**
     * The Camel context MBean that holds the route: other test classes' cached Spring contexts live in the same JVM
     * with Camel contexts of their own, so "the first context" may be another application's.
     */
    String contextMBeanOf(Session session, String routeMBean) {
        Matcher key = Pattern.compile("context=([^,]+)").matcher(routeMBean);
        assertThat(key.find()).as(routeMBean).isTrue();
        return jolokia(
                        session,
                        Map.of(
                                "type",
                                "search",
                                "mbean",
                                "org.apache.camel:type=context,context=" + key.group(1) + ",*"))
                .get("value")
                .get(0)
                .asText();
    }

    /** Jolokia answers a refused request with HTTP 200 and status 403 in the body, never the value. */
    static void assertRefused(JsonNode answer) {
        assertThat(answer.get("status").asInt()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.has("value")).as(answer.toString()).isFalse();
    }

    @Test
    void jolokiaSendsNoExchangeEvaluatesNoLanguageAndInvokesNoBean(@TempDir Path directory) {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), "Something to process", "x"));
        awaitMessages(connection, 1);
        Session session = hawtio();
        String context = contextMBean(session);
        String endpoints = jolokia(
                        session,
                        Map.of(
                                "type",
                                "read",
                                "mbean",
                                "org.apache.camel:type=endpoints,*",
                                "attribute",
                                "EndpointUri"))
                .toString();
        int at = endpoints.indexOf("mailgate-authenticator-");
        assertThat(at).as(endpoints).isPositive();
        String authenticator = endpoints.substring(at).replaceAll("[^A-Za-z0-9_-].*", "");

        // the route's endpoint holds the authenticator; the registry, which bean: and languages reach, does not
        assertThat(camel.getRegistry().lookupByName(authenticator)).isNull();

        List<JsonNode> answers = new ArrayList<>();
        for (String uri : List.of(
                "language:simple:${env:MAILGATE_MASTER_KEY}",
                "language:simple:{{MAILGATE_MASTER_KEY}}",
                "bean:" + authenticator + "?method=getPasswordAuthentication")) {
            for (String operation : List.of("requestBody(java.lang.String,java.lang.Object)", "requestBody")) {
                answers.add(jolokia(
                        session,
                        Map.of(
                                "type",
                                "exec",
                                "mbean",
                                context,
                                "operation",
                                operation,
                                "arguments",
                                List.of(uri, "x"))));
            }
            answers.add(jolokia(
                    session,
                    Map.of(
                            "type",
                            "exec",
                            "mbean",
                            context,
                            "operation",
                            "requestStringBody(java.lang.String,java.lang.String)",
                            "arguments",
                            List.of(uri, "x"))));
        }
        String file = "file:" + directory + "?fileName=x";
        answers.add(jolokia(
                session,
                Map.of(
                        "type",
                        "exec",
                        "mbean",
                        context,
                        "operation",
                        "sendBody(java.lang.String,java.lang.Object)",
                        "arguments",
                        List.of(file, "x"))));
        answers.add(jolokia(
                session,
                Map.of(
                        "type",
                        "exec",
                        "mbean",
                        context,
                        "operation",
                        "sendBodyAndHeaders",
                        "arguments",
                        List.of(file, "x", Map.of()))));
        answers.add(jolokia(
                session,
                Map.of(
                        "type",
                        "exec",
                        "mbean",
                        context,
                        "operation",
                        "createEndpoint(java.lang.String)",
                        "arguments",
                        List.of(file))));
        // routes, the whole context, the heap and the JVM's other MBeans are not Hawtio's route page either
        answers.add(jolokia(session, Map.of("type", "exec", "mbean", context, "operation", "stop()")));
        answers.add(jolokia(
                session,
                Map.of(
                        "type",
                        "exec",
                        "mbean",
                        context,
                        "operation",
                        "dumpRoutesAsXml(boolean)",
                        "arguments",
                        List.of(true))));
        answers.add(jolokia(
                session,
                Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesAsXml", "arguments", List.of(true))));
        answers.add(jolokia(
                session,
                Map.of(
                        "type",
                        "exec",
                        "mbean",
                        "com.sun.management:type=HotSpotDiagnostic",
                        "operation",
                        "dumpHeap",
                        "arguments",
                        List.of(directory.resolve("heap.hprof").toString(), true))));
        answers.add(jolokia(
                session,
                Map.of(
                        "type",
                        "exec",
                        "mbean",
                        "java.lang:type=Threading",
                        "operation",
                        "dumpAllThreads(boolean,boolean)",
                        "arguments",
                        List.of(false, false))));
        answers.add(jolokia(session, Map.of("type", "exec", "mbean", "java.lang:type=Memory", "operation", "gc()")));

        assertThat(answers).allSatisfy(OpsHawtioTest::assertRefused);
        assertThat(answers.toString()).doesNotContain(MASTER_KEY).doesNotContain(mailbox.password());
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void jolokiaWritesNoAttribute() {
        Session session = hawtio();
        String context = contextMBean(session);
        JsonNode before = jolokia(session, Map.of("type", "read", "mbean", context, "attribute", "Tracing"))
                .get("value");
        assertRefused(
                jolokia(session, Map.of("type", "write", "mbean", context, "attribute", "Tracing", "value", true)));
        assertRefused(jolokia(
                session,
                Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose", "value", true)));
        assertThat(jolokia(session, Map.of("type", "read", "mbean", context, "attribute", "Tracing"))
                        .get("value"))
                .isEqualTo(before);
        assertThat(jolokia(session, Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "Verbose"))
                        .get("value")
                        .asBoolean())
                .isFalse();
    }

    /** What Hawtio's Camel plugin calls for the route list, a route's source and its diagram with statistics. */
    @Test
    void hawtioRoutePageStillWorks() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        String routeId = get("/api/v1/orgs/default/connections/" + connection + "/status")
                .json()
                .get("routeId")
                .asText();
        Session session = hawtio();
        String route = routeMBean(session, routeId);
        String context = contextMBeanOf(session, route);

        JsonNode list =
                jolokia(session, Map.of("type", "list", "path", "org.apache.camel", "config", Map.of("maxDepth", 9)));
        assertThat(list.get("status").asInt()).isEqualTo(200);
        assertThat(jolokia(session, Map.of("type", "read", "mbean", route))
                        .at("/value/RouteId")
                        .asText())
                .isEqualTo(routeId);
        assertThat(jolokia(session, Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesAsXml()"))
                        .get("value")
                        .asText())
                .contains(routeId);
        assertThat(jolokia(
                                session,
                                Map.of(
                                        "type",
                                        "exec",
                                        "mbean",
                                        context,
                                        "operation",
                                        "dumpRoutesStatsAsXml",
                                        "arguments",
                                        List.of(true, true)))
                        .get("value")
                        .asText())
                .contains(routeId);
        assertThat(jolokia(
                                session,
                                Map.of(
                                        "type",
                                        "exec",
                                        "mbean",
                                        route,
                                        "operation",
                                        "dumpRouteStatsAsXml",
                                        "arguments",
                                        List.of(true, true)))
                        .get("value")
                        .asText())
                .contains(routeId);
        assertThat(jolokia(session, Map.of("type", "exec", "mbean", route, "operation", "dumpRouteAsXml()"))
                        .get("value")
                        .asText())
                .contains(routeId);
        assertThat(jolokia(session, Map.of("type", "exec", "mbean", route, "operation", "isUpdateRouteEnabled()"))
                        .get("value")
                        .asBoolean())
                .isFalse();
        // Hawtio's MBean tree and its question which operations to show (where hawtio registers them)
        JsonNode security = jolokia(session, Map.of("type", "search", "mbean", "hawtio:type=security,*"))
                .get("value");
        for (JsonNode mbean : security) {
            if (mbean.asText().contains("name=RBACRegistry")) {
                assertThat(jolokia(session, Map.of("type", "exec", "mbean", mbean.asText(), "operation", "list()"))
                                .get("status")
                                .asInt())
                        .isEqualTo(200);
            } else if (mbean.asText().contains("area=jmx")) {
                assertThat(jolokia(
                                        session,
                                        Map.of(
                                                "type",
                                                "exec",
                                                "mbean",
                                                mbean.asText(),
                                                "operation",
                                                "canInvoke(java.lang.String)",
                                                "arguments",
                                                List.of(route)))
                                .get("status")
                                .asInt())
                        .isEqualTo(200);
            }
        }
    }
}
