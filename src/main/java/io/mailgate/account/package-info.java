/**
 * Who may do what: organizations, users and their memberships and roles, API keys, the first admin, and the
 * principals Spring Security authenticates ({@link io.mailgate.account.UserPrincipal},
 * {@link io.mailgate.account.ApiKeyPrincipal}). {@link io.mailgate.account.OrgAccess} is the one check every
 * organization-scoped request goes through.
 */
package io.mailgate.account;
