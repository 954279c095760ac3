/**
 * The connections API and what an admin does to a saved connection (test, trust a certificate, resume, status):
 * the top of the connection feature, using the stored connections ({@code connection}), their tests
 * ({@code connectiontest}) and their running routes ({@code route}).
 */
package io.mailgate.connection.admin;
