package io.mailgate.parse;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Golden messages under src/test/resources/emails. */
final class Fixtures {

    private Fixtures() {}

    static Path email(String name) {
        URL url = Fixtures.class.getResource("/emails/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
