package io.mailgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The built-in route files are named one by one, so that Camel need not scan the executable jar for them. */
class ClasspathRoutesEnvironmentTest {

    @Test
    void aClasspathWildcardBecomesTheFilesItMatchesAndOtherLocationsStay() {
        var environment = new MockEnvironment()
                .withProperty(
                        "camel.main.routes-include-pattern",
                        "classpath:routes/*.yaml, file:/srv/mailgate/routes/*.yaml,classpath:routes/pipeline.yaml");
        new ClasspathRoutesEnvironment().postProcessEnvironment(environment, null);
        assertThat(environment.getProperty("camel.main.routes-include-pattern"))
                .isEqualTo(
                        "classpath:routes/ews-source.yaml,classpath:routes/graph-source.yaml,classpath:routes/imap-source.yaml,"
                                + "classpath:routes/pipeline.yaml,file:/srv/mailgate/routes/*.yaml,classpath:routes/pipeline.yaml");
    }

    @Test
    void aWildcardThatMatchesNothingIsLeftToCamel() {
        var environment = new MockEnvironment()
                .withProperty("camel.main.routes-include-pattern", "classpath:no-such-folder/*.yaml");
        new ClasspathRoutesEnvironment().postProcessEnvironment(environment, null);
        assertThat(environment.getProperty("camel.main.routes-include-pattern"))
                .isEqualTo("classpath:no-such-folder/*.yaml");
    }
}
