package io.mailgate.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Names each route file that a {@code classpath:} wildcard in {@code camel.main.routes-include-pattern} matches
 * ({@code classpath:routes/*.yaml} becomes {@code classpath:routes/imap-source.yaml,classpath:routes/pipeline.yaml,…}),
 * so that a file added to {@code src/main/resources/routes/} is still loaded without naming it anywhere.
 *
 * <p>Why: run as {@code java -jar}, Camel resolves a classpath wildcard by reading the whole executable jar as a
 * stream, inflating every class of its ~300 nested jars (~180 MB), which took about 5 of the 20 s start-up. Spring's
 * resolver lists only the matching folder's entries from the jar's directory. Patterns Camel resolves cheaply
 * ({@code file:}, names without wildcards) and anything else are left as they are.
 */
class ClasspathRoutesEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PATTERN = ExternalRoutesEnvironment.PATTERN;
    private static final String CLASSPATH = "classpath:";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String pattern = environment.getProperty(PATTERN);
        if (pattern == null || pattern.isBlank()) {
            return;
        }
        ClassLoader classLoader = application != null && application.getClassLoader() != null
                ? application.getClassLoader()
                : ClasspathRoutesEnvironment.class.getClassLoader();
        String expanded = expand(pattern, new PathMatchingResourcePatternResolver(classLoader));
        if (!expanded.equals(pattern)) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource("mailgateClasspathRoutes", Map.of(PATTERN, expanded)));
        }
    }

    static String expand(String pattern, PathMatchingResourcePatternResolver resolver) {
        List<String> locations = new ArrayList<>();
        for (String location : pattern.split(",")) {
            locations.addAll(expandOne(location.trim(), resolver));
        }
        return String.join(",", locations);
    }

    /** {@code classpath:folder/glob} without wildcards in the folder: the files it matches, in name order. */
    private static List<String> expandOne(String location, PathMatchingResourcePatternResolver resolver) {
        if (!location.startsWith(CLASSPATH)) {
            return List.of(location);
        }
        String path = location.substring(CLASSPATH.length());
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash + 1);
        String file = path.substring(slash + 1);
        boolean wildcard = file.contains("*") || file.contains("?");
        if (!wildcard
                || file.contains("**")
                || folder.contains("*")
                || folder.contains("?")
                || folder.startsWith("/")) {
            return List.of(location);
        }
        Set<String> names = new TreeSet<>();
        try {
            for (Resource resource : resolver.getResources("classpath*:" + path)) {
                if (resource.isReadable() && resource.getFilename() != null) {
                    names.add(resource.getFilename());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the route files " + location, e);
        }
        if (names.isEmpty()) {
            return List.of(location); // Camel's own resolution decides what no match means
        }
        Set<String> expanded = new LinkedHashSet<>();
        names.forEach(name -> expanded.add(CLASSPATH + folder + name));
        return List.copyOf(expanded);
    }
}
