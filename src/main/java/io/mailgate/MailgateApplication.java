package io.mailgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** mailgate: inbound email connections for a SOAR platform, one Camel route per mailbox. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MailgateApplication {

    static {
        // Per-connection proxies authenticate with Basic on CONNECT tunnels to Entra ID and Graph; the JDK's
        // HTTP client refuses Basic for tunnels unless this is cleared before its first use. An operator's
        // own setting wins.
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
    }

    public static void main(String[] args) {
        SpringApplication.run(MailgateApplication.class, args);
    }
}
