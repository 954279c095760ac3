package io.mailgate.web;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.cluster.Cluster;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionStatusView;
import io.mailgate.connection.ConnectionView;
import io.mailgate.connection.admin.ConnectionAdmin;
import io.mailgate.ops.CredentialHealth;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Administrator Settings › Organization › Inbound Email Connections: the list with each connection's state,
 * turning one on or off, and deleting one after a confirmation. Admins only, like the API.
 */
@Controller
@RequestMapping("/orgs/{org}/connections")
class ConnectionListPages {

    private final OrgAccess access;
    private final ConnectionService connections;
    private final ConnectionAdmin admin;
    private final CredentialHealth credentials;
    private final Cluster cluster;

    ConnectionListPages(
            OrgAccess access,
            ConnectionService connections,
            ConnectionAdmin admin,
            CredentialHealth credentials,
            Cluster cluster) {
        this.access = access;
        this.connections = connections;
        this.admin = admin;
        this.credentials = credentials;
        this.cluster = cluster;
    }

    @GetMapping
    String list(@PathVariable String org, Model model) {
        model.addAttribute("section", "connections");
        rows(admin(org), model);
        return "connections/list";
    }

    /** The table's rows alone: htmx refreshes them while the page is open, so states stay current. */
    @GetMapping("/rows")
    String rows(@PathVariable String org, Model model) {
        rows(admin(org), model);
        return "connections/list :: rows";
    }

    /** A row of the list: the connection, its route's state, and its credential warnings. */
    record Row(
            ConnectionView connection,
            ConnectionStatusView status,
            StateBadge state,
            List<CredentialHealth.Warning> warnings) {}

    private void rows(OrgRef org, Model model) {
        // in a cluster the list says which node runs each connection; a single node needs no such column
        model.addAttribute("clustered", cluster.enabled());
        model.addAttribute(
                "rows",
                connections.list(org).stream()
                        .map(c -> {
                            ConnectionAdmin.Overview overview = admin.overview(c);
                            return new Row(
                                    overview.connection(),
                                    overview.status(),
                                    StateBadge.of(overview.connection(), overview.status()),
                                    credentials.warnings(c));
                        })
                        .toList());
    }

    @PostMapping("/{apiName}/enabled")
    String enable(
            @PathVariable String org,
            @PathVariable String apiName,
            @RequestParam boolean enabled,
            RedirectAttributes redirect) {
        ConnectionView saved = ConnectionView.of(connections.setEnabled(admin(org), apiName, enabled));
        redirect.addFlashAttribute("flash", saved.name() + (enabled ? " is enabled." : " is disabled."));
        return "redirect:/orgs/" + org + "/connections";
    }

    @GetMapping("/{apiName}/delete")
    String confirmDelete(@PathVariable String org, @PathVariable String apiName, Model model) {
        model.addAttribute("section", "connections");
        model.addAttribute("connection", ConnectionView.of(connections.get(admin(org), apiName)));
        return "connections/delete";
    }

    @PostMapping("/{apiName}/delete")
    String delete(@PathVariable String org, @PathVariable String apiName, RedirectAttributes redirect) {
        OrgRef ref = admin(org);
        String name = connections.get(ref, apiName).getName();
        connections.delete(ref, apiName);
        redirect.addFlashAttribute("flash", "Connection " + name + " is deleted.");
        return "redirect:/orgs/" + org + "/connections";
    }

    private OrgRef admin(String org) {
        return access.require(org, Role.ADMIN);
    }
}
