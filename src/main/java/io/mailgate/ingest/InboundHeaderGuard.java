package io.mailgate.ingest;

import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * First step of the pipeline: no message header may act as a Camel control header. Camel 4.17 maps mail
 * headers named Camel* into the exchange (CVE-2026-40453) and camel-mail obeys plain copyTo/moveTo/delete
 * headers, so a sender could steer the route. Sources already drop every mail header; this guard removes
 * whatever still looks like one, case-insensitively, so that a future source cannot reopen the hole.
 */
@Component("inboundHeaderGuard")
class InboundHeaderGuard implements Processor {

    private static final Logger log = LoggerFactory.getLogger(InboundHeaderGuard.class);

    @Override
    public void process(Exchange exchange) {
        var headers = exchange.getMessage().getHeaders();
        int before = headers.size();
        headers.keySet().removeIf(InboundHeaderGuard::isControlHeader);
        if (headers.size() != before) {
            log.warn(
                    "Removed {} control header(s) that reached the pipeline from a mail source",
                    before - headers.size());
        }
    }

    static boolean isControlHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("camel")
                || lower.equals("copyto")
                || lower.equals("moveto")
                || lower.equals("delete")
                || lower.startsWith("breadcrumb");
    }
}
