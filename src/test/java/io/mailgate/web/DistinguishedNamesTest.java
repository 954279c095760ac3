package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DistinguishedNamesTest {

    private final DistinguishedNames names = new DistinguishedNames();

    @Test
    void escapedValuesAreShownAsTheyRead() {
        assertThat(names.readable("CN=localhost,O=self-signed\\, test only,C=DE"))
                .isEqualTo("CN=localhost, O=self-signed, test only, C=DE");
        assertThat(names.readable("CN=\\\"quoted\\\" name")).isEqualTo("CN=\"quoted\" name");
    }

    @Test
    void somethingThatIsNotANameIsShownAsItIs() {
        assertThat(names.readable("not a name")).isEqualTo("not a name");
        assertThat(names.readable(null)).isNull();
    }
}
