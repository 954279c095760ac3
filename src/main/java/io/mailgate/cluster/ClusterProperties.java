package io.mailgate.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code mailgate.cluster.*}: with no coordinator (the default) mailgate is one node, exactly as without this
 * package. With ZooKeeper or Kubernetes leases, every node shares one database and one master key, and each
 * connection's route and each forwarder runs on one node at a time.
 *
 * @param nodeId            this node's name in the cluster (default: the host name); unique per node
 * @param zookeeper         the ZooKeeper ensemble to coordinate through
 * @param kubernetes        Kubernetes leases instead of ZooKeeper
 * @param reconcileInterval how often a node reads connection changes made through other nodes
 */
@Validated
@ConfigurationProperties("mailgate.cluster")
public record ClusterProperties(String nodeId, ZooKeeper zookeeper, Kubernetes kubernetes, Duration reconcileInterval) {

    public ClusterProperties {
        nodeId = nodeId == null || nodeId.isBlank() ? hostName() : nodeId.trim();
        if (!nodeId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("mailgate.cluster.node-id: 1-100 of letters, digits, '.', '_' and '-'");
        }
        zookeeper = zookeeper == null ? new ZooKeeper(null, null, null, null) : zookeeper;
        kubernetes = kubernetes == null ? new Kubernetes(false, null, null, null) : kubernetes;
        reconcileInterval = reconcileInterval == null ? Duration.ofSeconds(2) : reconcileInterval;
        if (zookeeper.configured() && kubernetes.enabled()) {
            throw new IllegalArgumentException("mailgate.cluster: choose one coordinator, zookeeper.connect-string or "
                    + "kubernetes.enabled, not both");
        }
    }

    /** Whether a coordinator is configured: otherwise this is the only node. */
    public boolean clustered() {
        return zookeeper.configured() || kubernetes.enabled();
    }

    /**
     * @param connectString  {@code zk1:2181,zk2:2181}; empty = no ZooKeeper
     * @param sessionTimeout how long ZooKeeper waits for a silent node (a killed one) before its routes move on
     * @param connectTimeout how long a node waits to reach ZooKeeper
     * @param basePath       the ZooKeeper path under which mailgate keeps its elections
     */
    public record ZooKeeper(String connectString, Duration sessionTimeout, Duration connectTimeout, String basePath) {

        public ZooKeeper {
            connectString = connectString == null ? "" : connectString.trim();
            sessionTimeout = sessionTimeout == null ? Duration.ofSeconds(10) : sessionTimeout;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
            basePath = basePath == null || basePath.isBlank() ? "/mailgate" : basePath;
        }

        boolean configured() {
            return !connectString.isEmpty();
        }
    }

    /**
     * @param enabled   coordinate through Kubernetes leases ({@code coordination.k8s.io}) in {@code namespace}
     * @param namespace the namespace holding the leases (default: the pod's own namespace)
     * @param masterUrl the Kubernetes API server; empty = the pod's own service account (or ~/.kube/config outside a
     *                  cluster)
     * @param leaseDuration how long a lease holds without renewal; a new leader also waits this long before it
     *                  starts what the old one ran (Camel's default, 15 s)
     */
    public record Kubernetes(boolean enabled, String namespace, String masterUrl, Duration leaseDuration) {

        public Kubernetes {
            masterUrl = masterUrl == null ? "" : masterUrl.strip();
            leaseDuration = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
            if (leaseDuration.toMillis() < 2_000) {
                throw new IllegalArgumentException("mailgate.cluster.kubernetes.lease-duration must be at least 2s");
            }
        }
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "mailgate";
        }
    }
}
