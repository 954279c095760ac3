/**
 * The web security configuration: sign-in pages and sessions for people, bearer API keys for programs, CSRF,
 * the sign-in throttle, and which paths are open. Accounts and keys themselves are in {@code account}.
 */
package io.mailgate.security;
