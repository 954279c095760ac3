/**
 * The admin pages: server-rendered (Thymeleaf, htmx from a webjar), signed in with a session, every page under
 * {@code /orgs/{org}/…} and every action checked by {@link io.mailgate.account.OrgAccess} like the API. The
 * pages call the same services as the API, so a field named in an API error is named on the page too.
 */
package io.mailgate.web;
