package io.mailgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Route files of integration engineers: a broken one is refused with its file and line named. */
class ExternalRoutesTest {

    @Test
    void aBrokenRouteFileNamesItsFileAndLine() throws Exception {
        Path broken = Path.of("src/test/resources/broken-routes/broken.yaml").toAbsolutePath();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.build();
            var loader = PluginHelper.getRoutesLoader(camel);
            assertThatThrownBy(() -> loader.loadRoutes(ResourceHelper.resolveResource(camel, "file:" + broken)))
                    .satisfies(e -> {
                        String message = messages(e);
                        assertThat(message).contains("broken.yaml").contains("line 9");
                    });
        }
    }

    @Test
    void theWorkedExampleOfTheReadmeLoads() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.build();
            PluginHelper.getRoutesLoader(camel)
                    .loadRoutes(ResourceHelper.resolveResource(
                            camel,
                            "file:"
                                    + Path.of("src/test/resources/external-routes/tag-invoices.yaml")
                                            .toAbsolutePath()));
            assertThat(camel.getRouteDefinitions())
                    .extracting(r -> r.getRouteId())
                    .contains("tag-invoices");
        }
    }

    @Test
    void theFolderIsAddedToTheRoutesCamelLoadsWhenItExists() {
        var environment = new MockEnvironment()
                .withProperty("camel.main.routes-include-pattern", "classpath:routes/*.yaml")
                .withProperty("mailgate.external-routes.directory", "src/test/resources/external-routes");
        new ExternalRoutesEnvironment().postProcessEnvironment(environment, null);
        assertThat(environment.getProperty("camel.main.routes-include-pattern"))
                .startsWith("classpath:routes/*.yaml,file:/")
                .endsWith("/src/test/resources/external-routes/*.yaml");

        var missing = new MockEnvironment()
                .withProperty("camel.main.routes-include-pattern", "classpath:routes/*.yaml")
                .withProperty("mailgate.external-routes.directory", "target/no-such-routes-folder");
        new ExternalRoutesEnvironment().postProcessEnvironment(missing, null);
        assertThat(missing.getProperty("camel.main.routes-include-pattern")).isEqualTo("classpath:routes/*.yaml");
    }

    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getClass().getName())
                    .append(": ")
                    .append(t.getMessage())
                    .append('\n');
        }
        return all.toString();
    }
}
