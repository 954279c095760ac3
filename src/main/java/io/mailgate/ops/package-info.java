/**
 * Operations: what admins and operators see of mailgate while it runs.
 * <ul>
 *   <li>metrics per connection (Micrometer, {@code /actuator/prometheus}): {@link io.mailgate.ops.ConnectionMetrics};</li>
 *   <li>one health entry per connection ({@code /actuator/health/connections/{org}/{apiName}}); a failing mailbox
 *       makes mailgate DEGRADED, never DOWN;</li>
 *   <li>the email log ({@code logs/mailgate-email.log}): one line per poll, message decision and error;</li>
 *   <li>credential health: warnings for a silent connection or a credential about to expire;</li>
 *   <li>Hawtio and Jolokia behind mailgate's sign-in, with a Jolokia allow-list of what Hawtio needs for routes;</li>
 *   <li>hook points of the shared pipeline for routes in the external routes folder.</li>
 * </ul>
 */
package io.mailgate.ops;
