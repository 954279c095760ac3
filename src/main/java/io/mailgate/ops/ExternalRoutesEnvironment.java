package io.mailgate.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds the external routes folder ({@code mailgate.external-routes.directory}, {@code config/routes} by default) to
 * the routes Camel loads at start-up, when the folder exists (Camel refuses a pattern whose folder is missing). A
 * broken file stops start-up with Camel's error, which names the file, line and column.
 */
class ExternalRoutesEnvironment implements EnvironmentPostProcessor {

    static final String PATTERN = "camel.main.routes-include-pattern";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String directory = environment.getProperty("mailgate.external-routes.directory", "config/routes");
        if (directory.isBlank() || !Files.isDirectory(Path.of(directory))) {
            return;
        }
        String builtIn = environment.getProperty(PATTERN, "classpath:routes/*.yaml");
        String external = "file:"
                + Path.of(directory).toAbsolutePath().normalize().toString().replace('\\', '/') + "/*.yaml";
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("mailgateExternalRoutes", Map.of(PATTERN, builtIn + "," + external)));
    }
}
