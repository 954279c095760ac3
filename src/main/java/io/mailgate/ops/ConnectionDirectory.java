package io.mailgate.ops;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Finds the connection behind a route id, remembering the id so a poll costs no query. */
@Component
class ConnectionDirectory {

    private final ConnectionRepository connections;
    private final Map<String, Long> idOfRoute = new ConcurrentHashMap<>();

    ConnectionDirectory(ConnectionRepository connections) {
        this.connections = connections;
    }

    Optional<Long> idOf(String routeId) {
        Long id = idOfRoute.get(routeId);
        if (id != null) {
            return Optional.of(id);
        }
        Optional<ConnectionEntity> found = connections.findAll().stream()
                .filter(c -> c.routeId().equals(routeId))
                .findFirst();
        found.ifPresent(c -> idOfRoute.put(routeId, c.getId()));
        return found.map(ConnectionEntity::getId);
    }
}
