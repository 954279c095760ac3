package io.mailgate.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/** Decrypts S/MIME and PGP/MIME with the connection's key; leaves other messages untouched. */
@Component("decryptStep")
class DecryptStep implements Processor {

    @Override
    public void process(Exchange exchange) {
        // Decryption arrives with the decrypt feature; until then every message passes as it is.
    }
}
