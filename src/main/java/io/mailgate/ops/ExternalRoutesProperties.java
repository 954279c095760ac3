package io.mailgate.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Routes and route templates of integration engineers, loaded at start-up next to the built-in ones
 * ({@code camel.main.routes-include-pattern} reads this folder). They hook into the shared pipeline through
 * {@link PipelineHooks}.
 *
 * @param directory folder of {@code *.yaml} route files; {@code config/routes} by default; a missing folder is empty
 */
@ConfigurationProperties("mailgate.external-routes")
record ExternalRoutesProperties(String directory) {

    ExternalRoutesProperties {
        directory = directory == null || directory.isBlank() ? "config/routes" : directory;
    }
}
