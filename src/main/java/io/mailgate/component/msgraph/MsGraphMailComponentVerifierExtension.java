package io.mailgate.component.msgraph;

import io.mailgate.component.mailbox.VerificationResult;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.extension.verifier.DefaultComponentVerifierExtension;
import org.apache.camel.component.extension.verifier.ResultErrorBuilder;
import org.apache.camel.util.IOHelper;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * Checks {@code ms-graph-mail:} options without a route: PARAMETERS as an endpoint would (no network), CONNECTIVITY
 * gets a token and finds the folder and its unread messages, as the connection test does. An error's code is the
 * {@link GraphConnectionTest.Failure} (or ILLEGAL_PARAMETER_VALUE), its details Graph's or Entra's code, the
 * permission to grant and the exception; every CONNECTIVITY result carries the {@link GraphConnectionTest}
 * ({@link VerificationResult#outcome()}).
 */
public final class MsGraphMailComponentVerifierExtension extends DefaultComponentVerifierExtension {

    public static final String ERROR_CODE = "errorCode";
    public static final String MISSING_PERMISSION = "missingPermission";

    MsGraphMailComponentVerifierExtension() {
        super("ms-graph-mail");
    }

    @Override
    protected Result verifyParameters(Map<String, Object> parameters) {
        try {
            validate(configuration(parameters));
            return new VerificationResult<GraphConnectionTest>(Scope.PARAMETERS, List.of(), null);
        } catch (IllegalArgumentException e) {
            return new VerificationResult<GraphConnectionTest>(Scope.PARAMETERS, List.of(illegal(e)), null);
        } catch (Exception e) {
            return new VerificationResult<GraphConnectionTest>(
                    Scope.PARAMETERS,
                    List.of(ResultErrorBuilder.withException(e).build()),
                    null);
        }
    }

    @Override
    protected Result verifyConnectivity(Map<String, Object> parameters) {
        MsGraphMailConfiguration configuration;
        try {
            configuration = configuration(parameters);
            validate(configuration);
        } catch (IllegalArgumentException e) {
            return new VerificationResult<GraphConnectionTest>(Scope.CONNECTIVITY, List.of(illegal(e)), null);
        } catch (Exception e) {
            return new VerificationResult<GraphConnectionTest>(
                    Scope.CONNECTIVITY,
                    List.of(ResultErrorBuilder.withException(e).build()),
                    null);
        }
        CloseableHttpClient own =
                configuration.getHttpClient() == null ? MsGraphMailEndpoint.httpClient(configuration) : null;
        try {
            GraphConnectionTest outcome = new MsGraphMailClient(
                            own != null ? own : configuration.getHttpClient(),
                            configuration.getBaseUrl(),
                            configuration.getMailbox(),
                            configuration.getTokenProvider())
                    .testConnection(configuration.getFolder());
            if (outcome.ok()) {
                return new VerificationResult<>(Scope.CONNECTIVITY, List.of(), outcome);
            }
            ResultErrorBuilder error =
                    ResultErrorBuilder.withCode(outcome.failure().name()).description(outcome.message());
            if (outcome.errorCode() != null) {
                error.detail(ERROR_CODE, outcome.errorCode());
            }
            if (outcome.missingPermission() != null) {
                error.detail(MISSING_PERMISSION, outcome.missingPermission());
            }
            if (outcome.cause() != null) {
                error.detail(VerificationError.ExceptionAttribute.EXCEPTION_INSTANCE, outcome.cause());
                error.detail(
                        VerificationError.ExceptionAttribute.EXCEPTION_CLASS,
                        outcome.cause().getClass().getName());
            }
            return new VerificationResult<>(Scope.CONNECTIVITY, List.of(error.build()), outcome);
        } finally {
            if (own != null) {
                IOHelper.close(own);
            }
        }
    }

    private MsGraphMailConfiguration configuration(Map<String, Object> parameters) throws Exception {
        MsGraphMailConfiguration configuration = getComponent() instanceof MsGraphMailComponent graph
                ? graph.getConfiguration().copy()
                : new MsGraphMailConfiguration();
        setProperties(configuration, new HashMap<>(parameters));
        return configuration;
    }

    /** What an endpoint refuses when its consumer is created. */
    private static void validate(MsGraphMailConfiguration configuration) {
        if (configuration.getTokenProvider() == null) {
            throw new IllegalArgumentException("tokenProvider: a GraphTokenProvider (a #bean reference) is required");
        }
        if (configuration.getTokenProvider().appOnly()
                && MsGraphMailClient.sharedMailbox(configuration.getMailbox()) == null) {
            throw new IllegalArgumentException("mailbox: app-only access has no signed-in user (/me); set mailbox");
        }
        URI base = URI.create(configuration.getBaseUrl());
        if (base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException("baseUrl: must be an absolute URL: " + base);
        }
    }

    private static VerificationError illegal(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "invalid options" : e.getMessage();
        int colon = message.indexOf(':');
        ResultErrorBuilder error = ResultErrorBuilder.withCodeAndDescription(
                VerificationError.StandardCode.ILLEGAL_PARAMETER_VALUE, message);
        return (colon > 0 && message.indexOf(' ') > colon ? error.parameterKey(message.substring(0, colon)) : error)
                .build();
    }
}
