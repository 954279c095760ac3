package io.mailgate.parse;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Works around a cost in Jakarta Mail 2.1: every InternetHeaders, MimeMultipart and MimeUtility.decode
 * call looks its StreamProvider up again with {@link java.util.ServiceLoader} through the thread's
 * context class loader, which scans every jar on the class path (hundreds in this application): that
 * lookup was most of the time of parsing a small message. While the parser runs, the thread's context
 * class loader is this one: it delegates everything to the parser's own class loader and answers the
 * one service lookup from a list found once. The previous context class loader is always restored.
 * The decrypt package decodes transfer encodings through {@link #decode} for the same reason.
 */
public final class StreamProviderLoader extends ClassLoader {

    private static final String SERVICE = "META-INF/services/jakarta.mail.util.StreamProvider";

    static {
        registerAsParallelCapable();
    }

    private static final StreamProviderLoader INSTANCE = new StreamProviderLoader(MimeParser.class.getClassLoader());

    private final List<URL> providers;

    private StreamProviderLoader(ClassLoader parent) {
        super(parent);
        List<URL> found;
        try {
            // the service files' text, read once and served from memory: ServiceLoader reads it again on
            // every lookup, and reading it out of a jar is not free either
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (URL url : Collections.list(parent.getResources(SERVICE))) {
                try (InputStream in = url.openStream()) {
                    text.writeBytes(in.readAllBytes());
                    text.write('\n');
                }
            }
            byte[] bytes = text.toByteArray();
            found = List.of(new URL(null, "mailgate-parse:" + SERVICE, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL u) {
                    return new URLConnection(u) {
                        @Override
                        public void connect() {}

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(bytes);
                        }
                    };
                }
            }));
        } catch (IOException | RuntimeException e) {
            found = null; // fall back to the normal lookup
        }
        this.providers = found;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (providers != null && SERVICE.equals(name)) {
            return Collections.enumeration(providers);
        }
        return super.getResources(name);
    }

    interface Call<T, E1 extends Exception, E2 extends Exception> {
        T run() throws E1, E2;
    }

    /** {@link MimeUtility#decode} without the class path scan. */
    public static InputStream decode(InputStream in, String encoding) throws MessagingException {
        return with(() -> MimeUtility.decode(in, encoding));
    }

    /** Runs {@code call} with this loader as the thread's context class loader. */
    static <T, E1 extends Exception, E2 extends Exception> T with(Call<T, E1, E2> call) throws E1, E2 {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(INSTANCE);
        try {
            return call.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
