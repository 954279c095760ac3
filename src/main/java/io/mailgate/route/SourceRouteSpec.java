package io.mailgate.route;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.Protocol;
import java.util.Optional;

/** How a connection of one protocol becomes a route: one small implementation per protocol. */
interface SourceRouteSpec {

    Protocol protocol();

    /**
     * The route of this connection, or empty when it cannot run yet; then the spec has set the connection's state
     * saying why (consent missing, a protocol that no longer exists).
     */
    Optional<RouteSpec> spec(ConnectionEntity connection) throws Exception;
}
