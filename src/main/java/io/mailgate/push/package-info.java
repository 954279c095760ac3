/**
 * Push for the Exchange and Microsoft 365 sources: Microsoft Graph change notifications (the unauthenticated
 * endpoint Microsoft posts to, the registry of subscriptions it checks them against) and the mode each source
 * connection is in (PUSH or POLL, and why) for its status.
 */
package io.mailgate.push;
