package io.mailgate.component.ews;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * The {@code ews:} component: reads a folder of an on-premises Exchange mailbox over Exchange Web Services.
 * {@code ews:connectionKey?endpoint=...&mailbox=...&folder=...&credentials=#bean[&sslContext=#bean][&proxy=#bean]}.
 */
@Component("ews")
public class EwsComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component; each endpoint works on its own copy.")
    private EwsConfiguration configuration = new EwsConfiguration();

    public EwsComponent() {
        registerExtension(EwsComponentVerifierExtension::new);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // a copy: an endpoint's options never change the component's defaults or another endpoint's
        EwsConfiguration configuration = this.configuration.copy();
        configuration.setConnectionKey(remaining);
        EwsEndpoint endpoint = new EwsEndpoint(uri, this, configuration);
        // The EWS options live on the configuration, the scheduler's (delay, initialDelay, ...) on the endpoint.
        setProperties(configuration, parameters);
        setProperties(endpoint, parameters);
        configuration.validate();
        return endpoint;
    }

    public EwsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(EwsConfiguration configuration) {
        this.configuration = configuration == null ? new EwsConfiguration() : configuration;
    }
}
