package io.mailgate.account;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings for the first start.
 *
 * @param adminPassword password of the {@code admin} user created on an empty database (env
 *                      {@code MAILGATE_ADMIN_PASSWORD}); when blank, a random one is generated and
 *                      logged once. Ignored once users exist: change it in the application instead.
 */
@Validated
@ConfigurationProperties("mailgate")
record AdminProperties(String adminPassword) {

    @Override
    public String toString() {
        return "AdminProperties[adminPassword=" + (adminPassword == null || adminPassword.isBlank() ? "unset" : "***")
                + "]";
    }
}
