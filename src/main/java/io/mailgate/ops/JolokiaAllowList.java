package io.mailgate.ops;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.AllowAllRestrictor;
import org.jolokia.server.core.util.RequestType;
import org.springframework.stereotype.Component;

/**
 * What Jolokia (and so Hawtio) may do, on top of mailgate's sign-in (system admins only): an allow-list, because
 * a deny-list cannot keep up with what an MBean offers. The Camel context MBean alone can send exchanges to any
 * URI ({@code requestBody("language:simple:${env:…}")}, {@code sendBody("file:/tmp…")}, {@code bean:…}), create
 * endpoints and stop everything; the JVM's MBeans dump the heap (with every decrypted secret in it).
 * <ul>
 *   <li>request types: read, list, search and version, and exec of the operations below; no write, no
 *       notification, no config;</li>
 *   <li>attributes: all can be read except the JVM's system properties and command line (where a master key or
 *       password may have been passed) and any attribute named like a password, secret, token or key;</li>
 *   <li>operations: only what Hawtio's Camel plugin needs to show and operate routes — start, stop, suspend and
 *       resume a route; the route list, source (XML/YAML) and diagram with its statistics; endpoint and REST
 *       lists — and Hawtio's own read-only MBean list and access-control questions. Nothing else on any
 *       MBean.</li>
 * </ul>
 * An operation is matched on its name and signature as Jolokia receives it ({@code "stop()"},
 * {@code "dumpRoutesStatsAsXml(boolean,boolean)"}). A bare name ({@code "stop"}, letting Jolokia pick the overload
 * by its arguments) is allowed only where every overload is harmless; the dumps that may resolve property
 * placeholders ({@code dumpRoutesAsXml(boolean resolvePlaceholders)}) are allowed only without arguments.
 */
@Component
class JolokiaAllowList extends AllowAllRestrictor {

    private static final Set<RequestType> TYPES =
            EnumSet.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION, RequestType.EXEC);

    private static final Set<String> HIDDEN_RUNTIME_ATTRIBUTES = Set.of("SystemProperties", "InputArguments");

    /** Marks an operation whose every overload is allowed, so also its bare name. */
    private static final String ANY_OVERLOAD = "*";

    /** Camel's MBean type (the {@code type} key of its object name) → operation → allowed signatures. */
    private static final Map<String, Map<String, Set<String>>> CAMEL_OPERATIONS = Map.of(
            // the route list, its source and its diagram (Hawtio reads the routes from the context's dump)
            "context",
                    Map.of(
                            "dumpRoutesAsXml", Set.of("()"),
                            "dumpRoutesAsYaml", Set.of("()"),
                            "dumpRouteTemplatesAsXml", Set.of("()"),
                            "dumpRestsAsXml", Set.of("()"),
                            "dumpRoutesStatsAsXml", Set.of(ANY_OVERLOAD),
                            "dumpStepStatsAsXml", Set.of(ANY_OVERLOAD)),
            // operating one route; stop(timeout) and stop(timeout, abortAfterTimeout) only wait differently
            "routes",
                    Map.of(
                            "start", Set.of(ANY_OVERLOAD),
                            "stop", Set.of(ANY_OVERLOAD),
                            "suspend", Set.of(ANY_OVERLOAD),
                            "resume", Set.of(ANY_OVERLOAD),
                            "isUpdateRouteEnabled", Set.of(ANY_OVERLOAD),
                            "dumpRouteAsXml", Set.of("()"),
                            "dumpRouteAsYaml", Set.of("()"),
                            "dumpRouteStatsAsXml", Set.of(ANY_OVERLOAD),
                            "dumpStepStatsAsXml", Set.of(ANY_OVERLOAD)),
            // the endpoint registry's statistics and the REST registry's list, read-only
            "services",
                    Map.of(
                            "endpointStatistics", Set.of("()"),
                            "listRestServices", Set.of(ANY_OVERLOAD)));

    /** Hawtio lists MBeans through this one when it exists (the same as Jolokia's own list). */
    private static final ObjectName HAWTIO_RBAC_REGISTRY = objectName("hawtio:type=security,name=RBACRegistry");

    private static final Map<String, Set<String>> HAWTIO_LIST = Map.of("list", Set.of(ANY_OVERLOAD));
    /**
     * Hawtio asks its access-control MBean ({@code hawtio:type=security,area=jmx,…}) which operations it may
     * show; refused, it would show none. A question only: what may really run is decided here.
     */
    private static final Map<String, Set<String>> HAWTIO_ACL = Map.of("canInvoke", Set.of(ANY_OVERLOAD));

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return TYPES.contains(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        if (attribute == null) {
            // reading every attribute: Jolokia asks again for each one
            return true;
        }
        if ("java.lang".equals(name.getDomain())
                && "Runtime".equals(name.getKeyProperty("type"))
                && HIDDEN_RUNTIME_ATTRIBUTES.contains(attribute)) {
            return false;
        }
        String lower = attribute.toLowerCase(Locale.ROOT);
        return !(lower.contains("password")
                || lower.contains("secret")
                || lower.contains("token")
                || lower.contains("privatekey")
                || lower.contains("masterkey")
                || lower.contains("credential"));
    }

    /** Settings change through the API and the connection pages, which validate them; never through JMX. */
    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        if (name == null || operation == null) {
            return false;
        }
        Map<String, Set<String>> allowed;
        if ("org.apache.camel".equals(name.getDomain())) {
            allowed = CAMEL_OPERATIONS.get(String.valueOf(name.getKeyProperty("type")));
        } else if (HAWTIO_RBAC_REGISTRY.equals(name)) {
            allowed = HAWTIO_LIST;
        } else if ("hawtio".equals(name.getDomain())
                && "security".equals(name.getKeyProperty("type"))
                && "jmx".equals(name.getKeyProperty("area"))) {
            allowed = HAWTIO_ACL;
        } else {
            allowed = null;
        }
        return allowed != null && matches(allowed, operation);
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean matches(Map<String, Set<String>> allowed, String operation) {
        String op = operation.replaceAll("\\s+", "");
        int open = op.indexOf('(');
        String opName = open < 0 ? op : op.substring(0, open);
        Set<String> signatures = allowed.get(opName);
        if (signatures == null) {
            return false;
        }
        if (signatures.contains(ANY_OVERLOAD)) {
            return true;
        }
        return open >= 0 && signatures.contains(op.substring(open));
    }
}
