package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RedirectUriCheckTest {

    @Test
    void baseUrlsAreComparedWithoutDefaultPortsCaseOrTrailingSlash() {
        assertThat(RedirectUriCheck.base(URI.create("https://Mail.Example.com:443/")))
                .isEqualTo(RedirectUriCheck.base(URI.create("https://mail.example.com")));
        assertThat(RedirectUriCheck.base(URI.create("http://localhost:80/mailgate/")))
                .isEqualTo("http://localhost/mailgate");
        assertThat(RedirectUriCheck.base(URI.create("http://localhost:8080")))
                .isNotEqualTo(RedirectUriCheck.base(URI.create("http://localhost:18080")));
    }
}
