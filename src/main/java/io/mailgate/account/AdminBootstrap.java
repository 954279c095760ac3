package io.mailgate.account;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the first start with an empty database: organization {@code default} and user {@code admin}
 * (a system admin, so ADMIN in every organization). A generated password is logged once, when it
 * is created; later starts find the user and say nothing.
 *
 * <p>It runs once every singleton exists (the schema is migrated, repositories and transactions are ready) and before
 * the web server opens its port: as an {@code ApplicationRunner} it ran seconds after the port answered, so an early
 * client's sign-in as admin failed, counted against the sign-in throttle and locked that address out for 30 s.
 */
@Component
public class AdminBootstrap implements SmartInitializingSingleton {

    static final String DEFAULT_ORG = "default";
    static final String ADMIN_USER = "admin";
    /** bcrypt reads at most 72 bytes; refuse rather than silently ignore the rest. */
    static final int MAX_PASSWORD_BYTES = 72;

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OrganizationRepository organizations;
    private final UserAccountRepository users;
    private final PasswordEncoder passwords;
    private final TransactionTemplate transaction;
    private final AdminProperties properties;

    AdminBootstrap(
            OrganizationRepository organizations,
            UserAccountRepository users,
            PasswordEncoder passwords,
            TransactionTemplate transaction,
            AdminProperties properties) {
        this.organizations = organizations;
        this.users = users;
        this.passwords = passwords;
        this.transaction = transaction;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        bootstrap();
    }

    public void bootstrap() {
        String configured = properties.adminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = generated ? randomPassword() : configured;
        if (!generated && password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new IllegalStateException("mailgate.admin-password (MAILGATE_ADMIN_PASSWORD) is longer than "
                    + MAX_PASSWORD_BYTES + " bytes, which bcrypt cannot use");
        }
        Boolean adminCreated;
        try {
            adminCreated = transaction.execute(status -> {
                if (organizations.count() == 0) {
                    organizations.save(new Organization(DEFAULT_ORG, "Default"));
                    log.info("Created organization '{}'", DEFAULT_ORG);
                }
                if (users.count() > 0) {
                    return false;
                }
                users.save(new UserAccount(ADMIN_USER, passwords.encode(password), true));
                return true;
            });
        } catch (DataIntegrityViolationException e) {
            // Another node sharing the database bootstrapped at the same moment; its log has the password.
            log.info("Another instance created the initial organization and admin user first");
            return;
        }
        if (!Boolean.TRUE.equals(adminCreated)) {
            return;
        }
        if (generated) {
            // Only now, after the commit, so the password logged is the one that works.
            log.warn("****************************************************************************");
            log.warn("* Created user '{}' (system administrator) with this generated password:", ADMIN_USER);
            log.warn("*");
            log.warn("*     {}", password);
            log.warn("*");
            log.warn("* It is shown only this once. Change it with PUT /api/v1/me/password,");
            log.warn("* or set MAILGATE_ADMIN_PASSWORD before the first start next time.");
            log.warn("****************************************************************************");
        } else {
            log.info(
                    "Created user '{}' (system administrator) with the password from MAILGATE_ADMIN_PASSWORD",
                    ADMIN_USER);
        }
    }

    /** 144 random bits as 24 url-safe characters: strong, and easy to copy from a log. */
    static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
