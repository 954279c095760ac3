package io.mailgate.pipeline;

import io.mailgate.parse.MimeParser;
import io.mailgate.parse.ParseLimits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    MimeParser mimeParser() {
        return new MimeParser(ParseLimits.defaults());
    }
}
