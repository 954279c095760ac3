/**
 * The outbox: forwarders that push each new or updated incident to a Camel endpoint (an HMAC-signed HTTP webhook,
 * Kafka, or any other), in change-feed order, with retries, moving on only once the endpoint accepted. The
 * incidents' change feed is written in the same transaction as the incident, so nothing committed is missed; a
 * delivery may repeat after a crash, and carries a delivery id ({@code X-Mailgate-Delivery}) to recognise it.
 */
package io.mailgate.outbox;
