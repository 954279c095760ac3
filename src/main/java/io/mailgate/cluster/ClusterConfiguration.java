package io.mailgate.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster service of the configured coordinator, made here rather than by a starter's auto-configuration so that
 * {@code mailgate.cluster.*} is the one place to configure it and nothing connects anywhere without it.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    Cluster cluster(ClusterProperties properties) {
        if (properties.zookeeper().configured()) {
            return new Cluster(properties, zookeeper(properties), "zookeeper " + properties.zookeeper().connectString());
        }
        if (properties.kubernetes().enabled()) {
            String namespace = properties.kubernetes().namespace();
            return new Cluster(properties, kubernetes(properties),
                    "kubernetes leases" + (namespace == null || namespace.isBlank() ? "" : " in " + namespace));
        }
        return new Cluster(properties, null, null);
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

    private static CamelClusterService zookeeper(ClusterProperties properties) {
        ClusterProperties.ZooKeeper zk = properties.zookeeper();
        ZooKeeperClusterService service = new ZooKeeperClusterService();
        service.setId(properties.nodeId());
        service.setNodes(zk.connectString());
        service.setBasePath(zk.basePath());
        service.setSessionTimeout(zk.sessionTimeout().toMillis());
        service.setConnectTimeout(zk.connectTimeout().toMillis());
        return service;
    }

    private static CamelClusterService kubernetes(ClusterProperties properties) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setId(properties.nodeId());
        service.setPodName(properties.nodeId());
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName("mailgate");
        String namespace = properties.kubernetes().namespace();
        if (namespace != null && !namespace.isBlank()) {
            service.setKubernetesNamespace(namespace);
        }
        return service;
    }
}
