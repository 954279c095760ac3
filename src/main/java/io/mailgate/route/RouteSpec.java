package io.mailgate.route;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

/**
 * What one connection's route is made of, as data: the route template (a YAML file under
 * {@code src/main/resources/routes/}), the values of its parameters, and the beans local to this one route
 * (Camel's route-template local beans). A template refers to a local bean as {@code "#{{parameter}}"}; when the route
 * is created Camel gives the bean a name of its own ({@code mailgate-<parameter>-<unique id>}) and looks it up only
 * while the route's endpoints are made, so a bean holding credentials never enters the Camel registry, where the
 * bean component, languages or JMX could reach it, and a changed connection's new route never shares an endpoint
 * with its old one.
 *
 * @param template   the route template's id
 * @param parameters template parameter → value
 * @param beans      local bean name → bean
 */
record RouteSpec(String template, Map<String, Object> parameters, Map<String, Object> beans) {

    /** Adds the route made from this spec, with its id and the prefix of its node ids. */
    void addTo(CamelContext camel, String routeId) throws Exception {
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, template)
                .routeId(routeId)
                .prefixId(routeId + "-")
                .parameters(parameters);
        beans.forEach(builder::bean);
        builder.add();
    }

    static RouteSpec of(String template) {
        return new RouteSpec(template, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    RouteSpec parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** A bean only this route sees, referred to by the template as {@code "#{{parameter}}"}. */
    RouteSpec bean(String parameter, Object bean) {
        String name = "mailgate-" + parameter;
        beans.put(name, bean);
        // a nested placeholder: Camel gives the bean a unique name when it creates the route and defines this
        // placeholder as that name (passing the name itself breaks for camelCase parameters, which Camel also
        // copies under their kebab-case names)
        parameters.put(parameter, "{{" + name + "}}");
        return this;
    }

    /** An optional bean, passed by an optional parameter ({@code "{{?parameter}}"}) as {@code #name}; null leaves it out. */
    RouteSpec optionalBean(String parameter, Object bean) {
        if (bean != null) {
            String name = "mailgate-" + parameter;
            beans.put(name, bean);
            parameters.put(parameter, "#{{" + name + "}}");
        }
        return this;
    }
}
