package io.mailgate.component.ews;

import io.mailgate.component.mailbox.VerificationResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.extension.verifier.DefaultComponentVerifierExtension;
import org.apache.camel.component.extension.verifier.ResultErrorBuilder;

/**
 * Checks {@code ews:} options without a route: PARAMETERS validates them as an endpoint would (no network),
 * CONNECTIVITY signs in, finds the folder and counts its unread messages, as the connection test does. An error's
 * code is the {@link EwsException.Code} (or ILLEGAL_PARAMETER_VALUE), its details the stage and the exception; a
 * successful CONNECTIVITY result carries the unread count ({@link VerificationResult#outcome()}).
 *
 * <p>Parameters are the endpoint's options; objects (credentials, sslContext, proxy) may be given as they are or as
 * {@code #bean} references.
 */
public final class EwsComponentVerifierExtension extends DefaultComponentVerifierExtension {

    public static final String STAGE = "stage";

    EwsComponentVerifierExtension() {
        super("ews");
    }

    @Override
    protected Result verifyParameters(Map<String, Object> parameters) {
        try {
            configuration(parameters).validate();
            return new VerificationResult<Integer>(Scope.PARAMETERS, List.of(), null);
        } catch (IllegalArgumentException e) {
            return new VerificationResult<Integer>(Scope.PARAMETERS, List.of(illegal(e)), null);
        } catch (Exception e) {
            return new VerificationResult<Integer>(
                    Scope.PARAMETERS,
                    List.of(ResultErrorBuilder.withException(e).build()),
                    null);
        }
    }

    @Override
    protected Result verifyConnectivity(Map<String, Object> parameters) {
        EwsConfiguration configuration;
        try {
            configuration = configuration(parameters);
        } catch (Exception e) {
            return new VerificationResult<Integer>(
                    Scope.CONNECTIVITY,
                    List.of(ResultErrorBuilder.withException(e).build()),
                    null);
        }
        try {
            int unread = EwsClient.testConnection(configuration);
            return new VerificationResult<>(Scope.CONNECTIVITY, List.of(), unread);
        } catch (IllegalArgumentException e) {
            return new VerificationResult<Integer>(Scope.CONNECTIVITY, List.of(illegal(e)), null);
        } catch (EwsException e) {
            return new VerificationResult<Integer>(
                    Scope.CONNECTIVITY,
                    List.of(ResultErrorBuilder.withCode(e.code().name())
                            .description(e.getMessage())
                            .detail(STAGE, e.stage().name())
                            .detail(VerificationError.ExceptionAttribute.EXCEPTION_INSTANCE, e)
                            .detail(
                                    VerificationError.ExceptionAttribute.EXCEPTION_CLASS,
                                    e.getClass().getName())
                            .build()),
                    null);
        }
    }

    /** The component's defaults with the parameters applied, as an endpoint would have them. */
    private EwsConfiguration configuration(Map<String, Object> parameters) throws Exception {
        EwsConfiguration configuration = getComponent() instanceof EwsComponent ews
                ? ews.getConfiguration().copy()
                : new EwsConfiguration();
        Map<String, Object> options = new HashMap<>(parameters);
        Object key = options.remove("connectionKey");
        configuration.setConnectionKey(key == null ? "verify" : key.toString());
        setProperties(configuration, options);
        return configuration;
    }

    /** The component's messages start with the option's name ("endpoint: ..."). */
    private static VerificationError illegal(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "invalid options" : e.getMessage();
        int colon = message.indexOf(':');
        int space = message.indexOf(' ');
        String option = colon > 0 && (space < 0 || colon < space)
                ? message.substring(0, colon)
                : space > 0 ? message.substring(0, space) : null;
        ResultErrorBuilder error = ResultErrorBuilder.withCodeAndDescription(
                VerificationError.StandardCode.ILLEGAL_PARAMETER_VALUE, message);
        return (option == null ? error : error.parameterKey(option)).build();
    }
}
