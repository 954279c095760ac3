package io.mailgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** mailgate: inbound email connections for a SOAR platform, one Camel route per mailbox. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MailgateApplication {

    public static void main(String[] args) {
        SpringApplication.run(MailgateApplication.class, args);
    }
}
