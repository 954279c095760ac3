package io.mailgate.imap;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * camel-mail's header filter for mailgate's IMAP routes: no mail header becomes an exchange header. The
 * pipeline reads headers from the raw message itself; as exchange headers they could only do harm
 * (CVE-2026-40453: Camel* mail headers act as control headers; camel-mail obeys copyTo, moveTo, delete).
 */
@Component("mailgateDropAllMailHeaders")
class DropAllMailHeaders implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
