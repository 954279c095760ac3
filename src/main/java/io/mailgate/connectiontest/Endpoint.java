package io.mailgate.connectiontest;

/**
 * A host and port as messages name it, and the stage its TLS problems belong to: {@link TestStage#TLS} for
 * the mail server, {@link TestStage#PROXY} for a proxy, so the admin (and the API) know whose certificate it is.
 */
record Endpoint(String host, int port, TestStage tlsStage) {

    static Endpoint server(String host, int port) {
        return new Endpoint(host, port, TestStage.TLS);
    }

    static Endpoint proxy(String host, int port) {
        return new Endpoint(host, port, TestStage.PROXY);
    }

    boolean isProxy() {
        return tlsStage == TestStage.PROXY;
    }

    /** "imap.example.com:993", or "the proxy proxy.example.com:3128". */
    String describe() {
        String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return isProxy() ? "the proxy " + address : address;
    }

    /** {@link #describe()} at the start of a sentence. */
    String atStart() {
        String d = describe();
        return isProxy() ? "T" + d.substring(1) : d;
    }
}
