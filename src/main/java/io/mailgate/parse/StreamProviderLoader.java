package io.mailgate.parse;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.StreamProvider;
import java.io.InputStream;
import java.util.ServiceLoader;

/**
 * Works around a cost in Jakarta Mail 2.1: every InternetHeaders, MimeBodyPart, MimeMultipart and
 * MimeUtility.decode call looks its StreamProvider up again. Its {@code FactoryFinder} first reads the system
 * property {@value #PROPERTY}; without it, it runs a {@link ServiceLoader} through the thread's context class
 * loader, which opens and parses the service file of every jar that has one, each time. In an ingest round that was
 * a tenth of all the memory mailgate allocated (a reader and its buffers per lookup), several lookups per part.
 *
 * <p>So the provider is looked up once, here, and named in that system property (unless the operator named one):
 * from then on a lookup is a class-name lookup and a constructor call. While a parse runs, the thread's context class
 * loader is the parser's own, so the named class resolves the same way on every thread (Camel's, Tomcat's, a
 * test's). The decrypt package decodes transfer encodings through {@link #decode} for the same reason.
 */
public final class StreamProviderLoader {

    /** The system property Jakarta Mail's FactoryFinder reads before it scans the class path. */
    static final String PROPERTY = StreamProvider.class.getName();

    private static final ClassLoader PARSER_LOADER = MimeParser.class.getClassLoader();

    static {
        if (System.getProperty(PROPERTY) == null) {
            ServiceLoader.load(StreamProvider.class, PARSER_LOADER)
                    .findFirst()
                    .ifPresent(provider ->
                            System.setProperty(PROPERTY, provider.getClass().getName()));
        }
    }

    private StreamProviderLoader() {}

    interface Call<T, E1 extends Exception, E2 extends Exception> {
        T run() throws E1, E2;
    }

    /** {@link MimeUtility#decode} without the class path scan. */
    public static InputStream decode(InputStream in, String encoding) throws MessagingException {
        return with(() -> MimeUtility.decode(in, encoding));
    }

    /** Runs {@code call} with the parser's class loader as the thread's context class loader. */
    static <T, E1 extends Exception, E2 extends Exception> T with(Call<T, E1, E2> call) throws E1, E2 {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PARSER_LOADER);
        try {
            return call.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
