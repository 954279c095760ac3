package io.mailgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * How a node tells that a route disagrees with its election, against a coordinator the test controls: the leadership
 * changes that Camel's cluster policy misses on a real coordinator only in a narrow race (see
 * {@link Cluster#outOfStepWithElection}) are made here on purpose, by changing the leader without telling the view's
 * listeners. ClusterNodesTest covers the same code against ZooKeeper.
 */
class ClusterElectionStepTest {

    static final String ROUTE = "imap-default-step";
    static final String NAMESPACE = "mailgate-connection-1";

    CamelContext camel;
    ControlledService service;
    Cluster cluster;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        service = new ControlledService();
        cluster = new Cluster(new ClusterProperties("node-t", null, null, null), service, "test", null);
        cluster.attach(camel);
        camel.start();
        cluster.runOnOneNode(ROUTE, NAMESPACE);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:step?period=60000").routeId(ROUTE).log("tick");
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    ControlledView view() {
        return service.views.get(NAMESPACE);
    }

    ClusteredRoutePolicy policy() {
        return (ClusteredRoutePolicy) camel.getRoute(ROUTE).getRoutePolicyList().get(0);
    }

    ServiceStatus status() {
        return camel.getRouteController().getRouteStatus(ROUTE);
    }

    @Test
    void aPolicyThatMissedALeadershipChangeIsOutOfStep() {
        assertThat(status()).isEqualTo(ServiceStatus.Stopped);
        assertThat(cluster.outOfStepWithElection(ROUTE)).isFalse();
        assertThat(cluster.nodeRunning(ROUTE)).isEmpty();

        view().lead(true, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> status() == ServiceStatus.Started);
        assertThat(cluster.outOfStepWithElection(ROUTE)).isFalse();
        assertThat(cluster.nodeRunning(ROUTE)).contains("node-t");

        view().lead(false, false); // leadership lost, and the policy not told: the route runs without leading
        assertThat(status()).isEqualTo(ServiceStatus.Started);
        assertThat(cluster.outOfStepWithElection(ROUTE)).isTrue();

        view().lead(true, false);
        assertThat(cluster.outOfStepWithElection(ROUTE)).isFalse();

        view().lead(false, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> status() == ServiceStatus.Stopped);
        assertThat(cluster.outOfStepWithElection(ROUTE)).isFalse();

        view().lead(true, false); // elected, and the policy not told: the route runs nowhere
        assertThat(cluster.outOfStepWithElection(ROUTE)).isTrue();
    }

    @Test
    void aRouteNeverStartedWhileThisNodeLeadsIsOutOfStep() {
        // The policy was told that this node leads, but before the route could start (as when a leadership held over
        // from a stopped view is reported while the route is being added): its own flag is set as the event sets it.
        view().lead(true, false);
        ((AtomicBoolean) ReflectionTestUtils.getField(policy(), "leader")).set(true);
        assertThat(policy().isLeader()).isTrue();
        assertThat(status()).isEqualTo(ServiceStatus.Stopped);
        assertThat(cluster.outOfStepWithElection(ROUTE)).isTrue();
    }

    @Test
    void aRouteAnAdminStoppedWhileLeadingIsNotOutOfStep() throws Exception {
        view().lead(true, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> status() == ServiceStatus.Started);
        camel.getRouteController().stopRoute(ROUTE); // as Hawtio's Stop does
        assertThat(status()).isEqualTo(ServiceStatus.Stopped);
        assertThat(cluster.outOfStepWithElection(ROUTE)).isFalse();
    }

    @Test
    void askingWhoRunsARouteThatIsGoneDoesNotJoinItsElection() throws Exception {
        int starts = view().starts.get();
        camel.getRouteController().stopRoute(ROUTE);
        camel.removeRoute(ROUTE); // its policy lets go of the view, which stops
        assertThat(view().isStopped()).isTrue();

        assertThat(cluster.nodeRunning(ROUTE)).isEmpty();
        assertThat(cluster.placements()).extracting(Cluster.Placement::node).containsOnlyNulls();
        assertThat(cluster.outOfStepWithElection(ROUTE)).isFalse();
        // a started view is a candidate in the election (ZooKeeper's queues the node again)
        assertThat(view().starts.get()).isEqualTo(starts);
    }

    /** A cluster service whose views the test elects. */
    static final class ControlledService extends AbstractCamelClusterService<ControlledView> {
        final Map<String, ControlledView> views = new ConcurrentHashMap<>();

        ControlledService() {
            super("node-t");
        }

        @Override
        protected ControlledView createView(String namespace) {
            ControlledView view = new ControlledView(this, namespace);
            views.put(namespace, view);
            return view;
        }
    }

    /** A view whose leadership the test sets, telling its listeners or not. */
    static final class ControlledView extends AbstractCamelClusterView {
        final AtomicInteger starts = new AtomicInteger();
        private volatile boolean leader;
        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return getClusterService().getId();
            }
        };

        ControlledView(CamelClusterService service, String namespace) {
            super(service, namespace);
        }

        void lead(boolean leads, boolean tell) {
            leader = leads;
            if (tell) {
                fireLeadershipChangedEvent(leads ? local : null);
            }
        }

        @Override
        protected void doStart() {
            starts.incrementAndGet();
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }
    }
}
