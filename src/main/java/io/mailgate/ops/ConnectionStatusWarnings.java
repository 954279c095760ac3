package io.mailgate.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.connection.ConnectionStatusView;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Adds {@code "warnings": [{"code", "message"}]} (see {@link CredentialHealth}) to a connection's status
 * ({@code GET …/connections/{apiName}/status}).
 */
@ControllerAdvice
class ConnectionStatusWarnings implements ResponseBodyAdvice<Object> {

    private final CredentialHealth credentials;
    private final ConnectionDirectory directory;
    private final ConnectionRepository connections;
    private final ObjectMapper json;

    ConnectionStatusWarnings(
            CredentialHealth credentials,
            ConnectionDirectory directory,
            ConnectionRepository connections,
            ObjectMapper json) {
        this.credentials = credentials;
        this.directory = directory;
        this.connections = connections;
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return ConnectionStatusView.class.isAssignableFrom(returnType.getParameterType())
                && MappingJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        if (!(body instanceof ConnectionStatusView status)) {
            return body;
        }
        ObjectNode node = json.valueToTree(status);
        var warnings = node.putArray("warnings");
        directory
                .idOf(status.routeId())
                .flatMap(connections::findById)
                .ifPresent(c -> credentials.warnings(c).forEach(w -> warnings.add(json.valueToTree(w))));
        return node;
    }
}
