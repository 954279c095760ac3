/**
 * What runs each connection: its Camel route, made from the protocol's route template by a small
 * {@link io.mailgate.route.RouteSpec} (template parameters and route-local beans), started on the node the cluster
 * places it on ({@link io.mailgate.route.ConnectionRouteSync}), and its status as the API and pages show it.
 * Sits above {@code connection} (the stored connections), {@code cluster}, {@code incident} and {@code quarantine}.
 */
package io.mailgate.route;
