package io.mailgate.component.ews;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code ews:} component: reads a folder of an on-premises Exchange mailbox over Exchange Web Services.
 * {@code ews:connectionKey?endpoint=...&mailbox=...&folder=...&credentials=#bean[&sslContext=#bean][&proxy=#bean]}.
 */
@org.apache.camel.spi.annotations.Component("ews")
public class EwsComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        EwsConfiguration configuration = new EwsConfiguration();
        configuration.setConnectionKey(remaining);
        EwsEndpoint endpoint = new EwsEndpoint(uri, this, configuration);
        // The EWS options live on the configuration, the scheduler's (delay, initialDelay, ...) on the endpoint.
        setProperties(configuration, parameters);
        setProperties(endpoint, parameters);
        configuration.validate();
        return endpoint;
    }
}
