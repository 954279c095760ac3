package io.mailgate.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.component.msgraph.GraphPushChannel;
import io.mailgate.component.msgraph.GraphPushListener;
import io.mailgate.oauth.OAuthProperties;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GraphNotificationsTest {

    private final SourceModes modes = new SourceModes();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final GraphPushListener listener = new GraphPushListener() {
        @Override
        public void changed() {
            heard.add("changed");
        }

        @Override
        public void lifecycle(String event) {
            heard.add(event);
        }
    };

    private GraphNotifications at(String publicUrl) {
        return new GraphNotifications(new OAuthProperties(URI.create(publicUrl), null, null, null), modes, false);
    }

    @Test
    void onlyAnHttpsAddressMicrosoftCanReachGetsNotifications() {
        assertThat(at("http://localhost:8080").channel("oauth-default-a", true).unavailableReason())
                .contains("mailgate.oauth.public-url (http://localhost:8080) is not an HTTPS address");
        assertThat(at("https://127.0.0.1:8443").channel("oauth-default-a", true).unavailableReason())
                .contains("names this machine");
        assertThat(at("https://10.1.2.3").channel("oauth-default-a", true).notificationUrl())
                .isNull();
        GraphPushChannel reachable = at("https://mailgate.contoso.example/").channel("oauth-default-a", true);
        assertThat(reachable.unavailableReason()).isNull();
        assertThat(reachable.notificationUrl()).isEqualTo("https://mailgate.contoso.example/graph/notifications");
        assertThat(reachable.lifecycleNotificationUrl()).isEqualTo("https://mailgate.contoso.example/graph/lifecycle");
        GraphPushChannel off = at("https://mailgate.contoso.example").channel("oauth-default-b", false);
        assertThat(off.notificationUrl()).isNull();
        assertThat(off.unavailableReason()).isEqualTo("push is off");
    }

    @Test
    void aNotificationCountsOnlyForAKnownSubscriptionWithItsClientState() {
        GraphNotifications notifications = at("https://mailgate.contoso.example");
        GraphPushChannel channel = notifications.channel("oauth-default-a", true);
        channel.register("sub-1", "the-client-state", listener);

        assertThat(notifications.notified("sub-2", "the-client-state", null))
                .isEqualTo(GraphNotifications.Outcome.UNKNOWN_SUBSCRIPTION);
        assertThat(notifications.notified("sub-1", "the-client-statE", null))
                .isEqualTo(GraphNotifications.Outcome.WRONG_CLIENT_STATE);
        assertThat(notifications.notified("sub-1", null, null))
                .isEqualTo(GraphNotifications.Outcome.WRONG_CLIENT_STATE);
        assertThat(heard).isEmpty();

        assertThat(notifications.notified("sub-1", "the-client-state", null))
                .isEqualTo(GraphNotifications.Outcome.DELIVERED);
        assertThat(notifications.notified("sub-1", "the-client-state", "missed"))
                .isEqualTo(GraphNotifications.Outcome.DELIVERED);
        assertThat(heard).containsExactly("changed", "missed");

        channel.mode(true, null);
        assertThat(modes.of("oauth-default-a")).contains(new SourceModes.Mode("PUSH", null));
        channel.forget();
        assertThat(notifications.notified("sub-1", "the-client-state", null))
                .isEqualTo(GraphNotifications.Outcome.UNKNOWN_SUBSCRIPTION);
        assertThat(modes.of("oauth-default-a")).isEmpty();
    }
}
