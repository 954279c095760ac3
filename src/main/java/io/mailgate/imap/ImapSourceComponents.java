package io.mailgate.imap;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The batch IMAP source under two schemes, so an endpoint URI tells how the connection is protected; the
 * session decides it either way. Registry beans, so both share one set of worker threads.
 */
@Configuration(proxyBeanMethods = false)
class ImapSourceComponents {

    @Bean("mailgate-imap")
    BatchImapComponent imapComponent(ImapWorkers workers, PushModes modes) {
        return new BatchImapComponent(workers, modes);
    }

    @Bean("mailgate-imaps")
    BatchImapComponent imapsComponent(ImapWorkers workers, PushModes modes) {
        return new BatchImapComponent(workers, modes);
    }
}
