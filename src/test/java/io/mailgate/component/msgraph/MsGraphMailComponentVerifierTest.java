package io.mailgate.component.msgraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.component.mailbox.VerificationResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.component.extension.ComponentVerifierExtension;
import org.apache.camel.component.extension.ComponentVerifierExtension.Result;
import org.apache.camel.component.extension.ComponentVerifierExtension.Scope;
import org.apache.camel.component.extension.ComponentVerifierExtension.VerificationError;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code ms-graph-mail:} component's verifier against the Graph simulator. */
class MsGraphMailComponentVerifierTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final GraphSimulator graph = new GraphSimulator();

    @AfterEach
    void stop() {
        camel.stop();
        graph.close();
    }

    private ComponentVerifierExtension verifier() {
        return camel.getComponent("ms-graph-mail")
                .getExtension(ComponentVerifierExtension.class)
                .orElseThrow();
    }

    private Map<String, Object> parameters(String mailbox) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("baseUrl", graph.baseUrl());
        parameters.put("tokenProvider", (GraphTokenProvider) () -> GraphSimulator.TOKEN);
        if (mailbox != null) {
            parameters.put("mailbox", mailbox);
        }
        return parameters;
    }

    @Test
    void connectivityFindsTheFolderAndItsUnreadMessages() {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        me.add(me.wellKnown("inbox"), "one", Instant.parse("2026-11-27T01:00:00Z"));

        Result result = verifier().verify(Scope.CONNECTIVITY, parameters(null));

        assertThat(result.getStatus()).as(result.toString()).isEqualTo(Result.Status.OK);
        assertThat(result)
                .isInstanceOfSatisfying(
                        VerificationResult.class,
                        r -> assertThat(((GraphConnectionTest) r.outcome())
                                        .folder()
                                        .unreadItemCount())
                                .isEqualTo(1));
    }

    @Test
    void aDeniedMailboxIsPermissionMissingAndNamesThePermission() {
        graph.mailbox("phish@contoso.example");
        graph.deny("phish@contoso.example");

        Result result = verifier().verify(Scope.CONNECTIVITY, parameters("phish@contoso.example"));

        assertThat(result.getStatus()).isEqualTo(Result.Status.ERROR);
        assertThat(result.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getCode().name()).isEqualTo("PERMISSION_MISSING");
            assertThat(error.getDetail(MsGraphMailComponentVerifierExtension.MISSING_PERMISSION))
                    .isEqualTo("Mail.ReadWrite.Shared");
        });
    }

    @Test
    void parametersNeedATokenProviderAndAppOnlyAccessAMailbox() {
        Map<String, Object> noTokens = parameters(null);
        noTokens.remove("tokenProvider");
        Map<String, Object> appOnlyWithoutMailbox = parameters(null);
        appOnlyWithoutMailbox.put("tokenProvider", new GraphTokenProvider() {
            @Override
            public String accessToken() {
                return GraphSimulator.TOKEN;
            }

            @Override
            public boolean appOnly() {
                return true;
            }
        });

        assertThat(verifier().verify(Scope.PARAMETERS, parameters(null)).getStatus())
                .isEqualTo(Result.Status.OK);
        assertThat(verifier().verify(Scope.PARAMETERS, noTokens).getErrors())
                .singleElement()
                .satisfies(error -> {
                    assertThat(error.getCode()).isEqualTo(VerificationError.StandardCode.ILLEGAL_PARAMETER_VALUE);
                    assertThat(error.getParameterKeys()).containsExactly("tokenProvider");
                });
        assertThat(verifier().verify(Scope.PARAMETERS, appOnlyWithoutMailbox).getErrors())
                .singleElement()
                .satisfies(error -> assertThat(error.getParameterKeys()).containsExactly("mailbox"));
    }
}
