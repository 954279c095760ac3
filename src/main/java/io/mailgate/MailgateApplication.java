package io.mailgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** mailgate: inbound email connections for a SOAR platform, one Camel route per mailbox. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MailgateApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(MailgateApplication.class);
        if (Boolean.getBoolean(StartupReport.PROPERTY)) {
            BufferingApplicationStartup steps = new BufferingApplicationStartup(100_000);
            application.setApplicationStartup(steps);
            application.addListeners(new StartupReport(steps));
        }
        application.run(args);
    }
}
