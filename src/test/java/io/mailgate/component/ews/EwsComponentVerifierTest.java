package io.mailgate.component.ews;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.component.mailbox.VerificationResult;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.component.extension.ComponentVerifierExtension;
import org.apache.camel.component.extension.ComponentVerifierExtension.Result;
import org.apache.camel.component.extension.ComponentVerifierExtension.Scope;
import org.apache.camel.component.extension.ComponentVerifierExtension.VerificationError;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code ews:} component's verifier, as Camel tooling (and the connection test) asks it, against the simulator. */
class EwsComponentVerifierTest {

    private static final String PRIMARY = EwsClientTest.PRIMARY;
    private static final String PASSWORD = EwsClientTest.PASSWORD;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private EwsSimulator exchange;

    @AfterEach
    void stop() {
        camel.stop();
        if (exchange != null) {
            exchange.close();
        }
    }

    private ComponentVerifierExtension verifier() {
        return camel.getComponent("ews")
                .getExtension(ComponentVerifierExtension.class)
                .orElseThrow();
    }

    private Map<String, Object> parameters(String password) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("endpoint", exchange.url());
        parameters.put("mailbox", PRIMARY);
        parameters.put("credentials", new EwsCredentials(PRIMARY, password, EwsCredentials.AuthScheme.NTLM));
        parameters.put("sslContext", TestTls.get().client);
        parameters.put("connectTimeout", "5000");
        return parameters;
    }

    @Test
    void connectivitySignsInFindsTheFolderAndCountsItsUnreadMessages() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        exchange.message(PRIMARY, "inbox", "Subject: one\r\n\r\nx");
        exchange.message(PRIMARY, "inbox", "Subject: two\r\n\r\nx");

        Result result = verifier().verify(Scope.CONNECTIVITY, parameters(PASSWORD));

        assertThat(result.getStatus()).as(result.toString()).isEqualTo(Result.Status.OK);
        assertThat(result)
                .isInstanceOfSatisfying(
                        VerificationResult.class, r -> assertThat(r.outcome()).isEqualTo(2));
        assertThat(exchange.count("UpdateItem")).isZero();
    }

    @Test
    void aWrongPasswordIsAnAuthFailureAtTheAuthStageWithoutThePassword() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);

        Result result = verifier().verify(Scope.CONNECTIVITY, parameters("not-" + PASSWORD));

        assertThat(result.getStatus()).isEqualTo(Result.Status.ERROR);
        assertThat(result.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getCode().name()).isEqualTo("AUTH_FAILED");
            assertThat(error.getDetail(EwsComponentVerifierExtension.STAGE)).isEqualTo("AUTH");
            assertThat(error.getDetail(VerificationError.ExceptionAttribute.EXCEPTION_INSTANCE))
                    .isInstanceOf(EwsException.class);
            assertThat(error.getDescription()).doesNotContain(PASSWORD);
        });
    }

    @Test
    void parametersAreCheckedWithoutTheNetworkAndNameTheOption() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        Map<String, Object> online = parameters(PASSWORD);
        online.put("endpoint", "https://outlook.office365.us/EWS/Exchange.asmx");
        Map<String, Object> noCredentials = parameters(PASSWORD);
        noCredentials.remove("credentials");

        assertThat(verifier().verify(Scope.PARAMETERS, parameters(PASSWORD)).getStatus())
                .isEqualTo(Result.Status.OK);
        assertThat(verifier().verify(Scope.PARAMETERS, online).getErrors())
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.getCode()).isEqualTo(VerificationError.StandardCode.ILLEGAL_PARAMETER_VALUE);
                    assertThat(error.getParameterKeys()).containsExactly("endpoint");
                });
        assertThat(verifier().verify(Scope.PARAMETERS, noCredentials).getErrors())
                .singleElement()
                .satisfies(error -> assertThat(error.getParameterKeys()).containsExactly("credentials"));
        assertThat(exchange.requests).isEmpty();
    }
}
