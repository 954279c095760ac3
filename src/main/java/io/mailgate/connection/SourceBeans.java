package io.mailgate.connection;

import io.mailgate.component.ews.EwsConfiguration;
import io.mailgate.component.ews.EwsCredentials;
import io.mailgate.component.ews.EwsProxy;
import io.mailgate.ingest.IngestProperties;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.springframework.stereotype.Component;

/** Builds the protocol objects of a connection (credentials, proxy), shared by its route and its test. */
@Component
public class SourceBeans {

    private final ConnectionService connections;
    private final IngestProperties ingest;

    SourceBeans(ConnectionService connections, IngestProperties ingest) {
        this.connections = connections;
        this.ingest = ingest;
    }

    public EwsCredentials ewsCredentials(ConnectionEntity c) {
        return EwsCredentials.forEmailAddress(
                c.getSettings().exchange().emailAddress(),
                connections.secret(c, SecretName.EXCHANGE_PASSWORD).orElse(""),
                EwsCredentials.AuthScheme.AUTO);
    }

    public EwsProxy ewsProxy(ConnectionEntity c) {
        var p = c.getSettings().proxy();
        if (p == null) {
            return null;
        }
        return new EwsProxy(
                EwsProxy.Protocol.valueOf(p.protocol().name()),
                p.host(),
                p.port(),
                p.username(),
                connections.secret(c, SecretName.PROXY_PASSWORD).orElse(null));
    }

    EwsConfiguration ewsConfiguration(ConnectionEntity c, SSLContext sslContext) {
        var s = c.getSettings().exchange();
        EwsConfiguration configuration = new EwsConfiguration();
        configuration.setConnectionKey(c.routeId());
        configuration.setEndpoint(s.endpoint());
        configuration.setMailbox(s.emailAddress());
        configuration.setFolder(s.sourceFolder());
        configuration.setCredentials(ewsCredentials(c));
        configuration.setSslContext(sslContext);
        configuration.setProxy(ewsProxy(c));
        configuration.setMaxMessageSize(ingest.maxMessageBytes());
        configuration.setWorkDir(ingest.spoolDirectory().toString());
        return configuration;
    }

    public Path workDir() {
        return ingest.spoolDirectory();
    }
}
