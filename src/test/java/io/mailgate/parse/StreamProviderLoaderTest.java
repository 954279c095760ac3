package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.util.StreamProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamProviderLoaderTest {

    private static final String SERVICE_FILE = "META-INF/services/" + StreamProvider.class.getName();

    /** A context class loader that counts how often the class path is searched for StreamProvider's service file. */
    private static final class CountingLoader extends ClassLoader {
        final AtomicInteger serviceLookups = new AtomicInteger();

        CountingLoader() {
            super(StreamProviderLoaderTest.class.getClassLoader());
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (SERVICE_FILE.equals(name)) {
                serviceLookups.incrementAndGet();
            }
            return super.getResources(name);
        }
    }

    @Test
    void namesTheProviderWhereJakartaMailLooksFirst() {
        StreamProviderLoader.with(() -> null); // initialises the class

        String named = System.getProperty(StreamProviderLoader.PROPERTY);
        assertThat(named).isNotBlank();
        assertThat(StreamProviderLoader.with(StreamProvider::provider)
                        .getClass()
                        .getName())
                .isEqualTo(named);
    }

    @Test
    void jakartaMailNoLongerScansTheClassPathForEachPartOnAnyThread() throws Exception {
        StreamProviderLoader.with(() -> null);
        CountingLoader counting = new CountingLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(counting);
        try {
            for (int i = 0; i < 3; i++) {
                InternetHeaders headers = new InternetHeaders(
                        new ByteArrayInputStream("Subject: hello\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                assertThat(headers.getHeader("Subject", null)).isEqualTo("hello");
            }
            assertThat(StreamProvider.provider()).isNotNull();
        } finally {
            thread.setContextClassLoader(previous);
        }
        assertThat(counting.serviceLookups).hasValue(0);
    }
}
