package io.mailgate.ops;

import java.util.Locale;
import java.util.Set;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.AllowAllRestrictor;
import org.springframework.stereotype.Component;

/**
 * What Jolokia (and so Hawtio) must not show or do, on top of mailgate's sign-in (system admins only):
 * <ul>
 *   <li>the JVM's system properties and command line, where a master key or password may have been passed;</li>
 *   <li>any attribute named like a password, secret, token or key material;</li>
 *   <li>heap dumps and diagnostic commands (a heap dump holds every decrypted secret);</li>
 *   <li>Camel's message tracer, debugger and browse operations (exchange dumps: message content and properties),
 *       and replacing routes over JMX (connections own their routes).</li>
 * </ul>
 * Credentials never appear in endpoint URIs in the first place: they are registry beans.
 */
@Component
class JolokiaSecrets extends AllowAllRestrictor {

    private static final Set<String> HIDDEN_RUNTIME_ATTRIBUTES = Set.of("SystemProperties", "InputArguments");

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        if (attribute == null) {
            return true;
        }
        if ("java.lang".equals(name.getDomain()) && "Runtime".equals(name.getKeyProperty("type"))
                && HIDDEN_RUNTIME_ATTRIBUTES.contains(attribute)) {
            return false;
        }
        String lower = attribute.toLowerCase(Locale.ROOT);
        return !(lower.contains("password") || lower.contains("secret") || lower.contains("token")
                || lower.contains("privatekey") || lower.contains("masterkey"));
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return isAttributeReadAllowed(name, attribute) && !"com.sun.management".equals(name.getDomain());
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        if ("com.sun.management".equals(name.getDomain())) {
            return false;
        }
        if ("org.apache.camel".equals(name.getDomain())) {
            String type = String.valueOf(name.getKeyProperty("type"));
            if (type.equals("tracer") || type.equals("debugger")) {
                return false;
            }
            String op = operation == null ? "" : operation;
            return !(op.startsWith("browse") || op.startsWith("update") || op.contains("TracedMessages")
                    || op.startsWith("dumpExchange"));
        }
        return true;
    }
}
