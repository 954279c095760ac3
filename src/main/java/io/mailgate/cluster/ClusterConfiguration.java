package io.mailgate.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster service of the configured coordinator, made here rather than by a starter's auto-configuration so that
 * {@code mailgate.cluster.*} is the one place to configure it and nothing connects anywhere without it.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean(destroyMethod = "close")
    Cluster cluster(ClusterProperties properties) {
        if (properties.zookeeper().configured()) {
            CuratorFramework curator = curator(properties.zookeeper());
            return new Cluster(
                    properties,
                    zookeeper(properties, curator),
                    "zookeeper " + properties.zookeeper().connectString(),
                    curator);
        }
        if (properties.kubernetes().enabled()) {
            String namespace = properties.kubernetes().namespace();
            return new Cluster(
                    properties,
                    kubernetes(properties),
                    "kubernetes leases" + (namespace == null || namespace.isBlank() ? "" : " in " + namespace),
                    null);
        }
        return new Cluster(properties, null, null, null);
    }

    /** Hands the cluster service to Camel before any route starts, so that the routes' policies find it. */
    @Bean
    CamelContextConfiguration clusterCamelConfiguration(Cluster cluster) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                try {
                    cluster.attach(camelContext);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot join the cluster through " + cluster.coordinator(), e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                try {
                    cluster.joined();
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot join the cluster through " + cluster.coordinator(), e);
                }
            }
        };
    }

    private static CamelClusterService zookeeper(ClusterProperties properties, CuratorFramework curator) {
        ZooKeeperClusterService service = new ZooKeeperClusterService(new ZooKeeperCuratorConfiguration());
        service.setId(properties.nodeId());
        service.setNodes(properties.zookeeper().connectString());
        service.setBasePath(properties.zookeeper().basePath());
        service.setCuratorFramework(curator);
        return service;
    }

    /** mailgate's own ZooKeeper client, so that its health can say whether it is connected. */
    private static CuratorFramework curator(ClusterProperties.ZooKeeper zk) {
        return CuratorFrameworkFactory.builder()
                .connectString(zk.connectString())
                .sessionTimeoutMs((int) zk.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) zk.connectTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(1000, 3, 10_000))
                .build();
    }

    private static CamelClusterService kubernetes(ClusterProperties properties) {
        // Given a configuration on purpose: Camel 4.17's no-argument constructor leaves it null, and doInit then
        // makes a fresh one without applying the master URL, namespace or connection timeout set below
        // (found by ClusterKubernetesLeaseTest: the service asked the default API server instead).
        KubernetesClusterService service = new KubernetesClusterService(new KubernetesConfiguration());
        service.setId(properties.nodeId());
        service.setPodName(properties.nodeId());
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName("mailgate");
        String namespace = properties.kubernetes().namespace();
        if (namespace != null && !namespace.isBlank()) {
            service.setKubernetesNamespace(namespace);
        }
        if (!properties.kubernetes().masterUrl().isEmpty()) {
            service.setMasterUrl(properties.kubernetes().masterUrl());
        }
        // Camel's own ratios (15 s lease, 10 s renew deadline, 2 s retry period), scaled to the configured lease
        long lease = properties.kubernetes().leaseDuration().toMillis();
        service.setLeaseDurationMillis(lease);
        service.setRenewDeadlineMillis(lease * 2 / 3);
        service.setRetryPeriodMillis(Math.max(500, lease * 2 / 15));
        return service;
    }
}
