package io.mailgate.ingest;

/**
 * A connection as operators name it, read from its route id {@code <protocol>-<org>-<apiName>} (api names have no
 * '-', organization handles may).
 */
public record ConnectionRef(String protocol, String org, String apiName) {

    /** The connection of a route, or null when the route is not a connection's. */
    public static ConnectionRef ofRoute(String routeId) {
        if (routeId == null) {
            return null;
        }
        int first = routeId.indexOf('-');
        int last = routeId.lastIndexOf('-');
        if (first <= 0 || last <= first + 1 || last == routeId.length() - 1) {
            return null;
        }
        String protocol = routeId.substring(0, first);
        if (!protocol.equals("imap") && !protocol.equals("ews") && !protocol.equals("oauth")) {
            return null;
        }
        return new ConnectionRef(protocol, routeId.substring(first + 1, last), routeId.substring(last + 1));
    }

    /** {@code org/apiName}: the connection tag of metrics and the connection of every email log line. */
    public String name() {
        return org + "/" + apiName;
    }

    public String routeId() {
        return protocol + "-" + org + "-" + apiName;
    }
}
