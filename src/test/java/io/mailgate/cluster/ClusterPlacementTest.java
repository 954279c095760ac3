package io.mailgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Connections spread evenly over the live nodes, every node computing the same placement. */
class ClusterPlacementTest {

    static List<String> connections(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(id -> "mailgate-connection-" + id)
                .toList();
    }

    static Map<String, Long> perNode(Map<String, String> placement) {
        return placement.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void sixConnectionsOnThreeNodesAreTwoEach() {
        Map<String, String> placement = Cluster.place(connections(6), List.of("node-a", "node-b", "node-c"));
        assertThat(placement).hasSize(6);
        assertThat(perNode(placement))
                .containsOnly(Map.entry("node-a", 2L), Map.entry("node-b", 2L), Map.entry("node-c", 2L));
    }

    @Test
    void noNodeHoldsMoreThanItsFairShareWhateverTheNumbers() {
        for (int count = 1; count <= 50; count++) {
            for (int nodes = 2; nodes <= 5; nodes++) {
                List<String> live = IntStream.rangeClosed(1, nodes)
                        .mapToObj(n -> "node-" + n)
                        .toList();
                Map<String, String> placement = Cluster.place(connections(count), live);
                int share = (count + nodes - 1) / nodes;
                assertThat(placement).as("%d on %d", count, nodes).hasSize(count);
                assertThat(perNode(placement).values())
                        .as("%d on %d", count, nodes)
                        .allMatch(held -> held <= share);
            }
        }
    }

    @Test
    void everyNodeComputesTheSamePlacementWhateverTheOrderItSeesThingsIn() {
        List<String> keys = new ArrayList<>(connections(20));
        Map<String, String> one = Cluster.place(keys, List.of("node-a", "node-b", "node-c"));
        Collections.reverse(keys);
        assertThat(Cluster.place(keys, List.of("node-c", "node-a", "node-b"))).isEqualTo(one);
    }

    @Test
    void whenANodeLeavesItsConnectionsGoToTheOthersAndMostOthersStay() {
        List<String> keys = connections(30);
        Map<String, String> before = Cluster.place(keys, List.of("node-a", "node-b", "node-c"));
        Map<String, String> after = Cluster.place(keys, List.of("node-a", "node-c"));
        assertThat(after.values()).doesNotContain("node-b");
        assertThat(perNode(after)).containsOnly(Map.entry("node-a", 15L), Map.entry("node-c", 15L));
        long stayed = keys.stream()
                .filter(k -> !before.get(k).equals("node-b") && before.get(k).equals(after.get(k)))
                .count();
        // 20 were on the two survivors; a fair share bound may move a few of them, not most
        assertThat(stayed).isGreaterThanOrEqualTo(14);
    }
}
