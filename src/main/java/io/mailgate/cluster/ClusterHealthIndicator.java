package io.mailgate.cluster;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health/cluster}: this node's connection to its coordinator. A node cut off from it runs nothing
 * (its elections are lost), so it is DOWN; without a coordinator the entry says this is the only node.
 */
@Component("clusterHealthIndicator")
class ClusterHealthIndicator extends AbstractHealthIndicator {

    private final Cluster cluster;

    ClusterHealthIndicator(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        health.withDetail("node", cluster.nodeId());
        if (!cluster.enabled()) {
            health.up().withDetail("coordinator", "none (single node)");
            return;
        }
        health.withDetail("coordinator", cluster.coordinator()).withDetail("members", cluster.members());
        cluster.coordinatorConnected()
                .ifPresentOrElse(
                        connected -> {
                            if (connected) {
                                health.up();
                            } else {
                                health.down()
                                        .withDetail(
                                                "reason",
                                                "Not connected to the coordinator: this node runs no "
                                                        + "connection until it is again.");
                            }
                        },
                        health::unknown);
    }
}
