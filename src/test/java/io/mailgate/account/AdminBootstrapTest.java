package io.mailgate.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The generated-password path, which the shared integration context (it sets a password) cannot
 * take. A unit test rather than a second Spring context: what matters is the banner and the hash.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapTest {

    private final OrganizationRepository organizations = mock(OrganizationRepository.class);
    private final UserAccountRepository users = mock(UserAccountRepository.class);
    private final BCryptPasswordEncoder passwords = new BCryptPasswordEncoder(4);
    private final TransactionTemplate transaction = new TransactionTemplate(mock(PlatformTransactionManager.class));

    @Test
    void generatesAStrongPasswordAndLogsItOnceWhenNoneIsConfigured(CapturedOutput output) {
        when(organizations.count()).thenReturn(0L);
        when(users.count()).thenReturn(0L);
        when(users.save(any())).thenAnswer(call -> call.getArgument(0));

        bootstrap(null).bootstrap();

        ArgumentCaptor<UserAccount> saved = ArgumentCaptor.forClass(UserAccount.class);
        verify(users).save(saved.capture());
        verify(organizations).save(any(Organization.class));
        Matcher banner = Pattern.compile("WARN.*\\*     (\\S+)").matcher(output.getOut());
        assertThat(banner.find()).as("banner in %s", output.getOut()).isTrue();
        String password = banner.group(1);
        assertThat(password).hasSizeGreaterThanOrEqualTo(24);
        assertThat(saved.getValue().getUsername()).isEqualTo("admin");
        assertThat(saved.getValue().isSystemAdmin()).isTrue();
        assertThat(passwords.matches(password, saved.getValue().getPasswordHash()))
                .isTrue();
        assertThat(output.getOut()).containsOnlyOnce(password);

        // a later start finds the user: no new password, no banner
        when(users.count()).thenReturn(1L);
        when(organizations.count()).thenReturn(1L);
        int logged = output.getOut().length();
        bootstrap("  ").bootstrap();
        assertThat(output.getOut().substring(logged)).doesNotContain("generated password");
        verify(users).save(any()); // still just the first one
    }

    @Test
    void generatedPasswordsDiffer() {
        assertThat(AdminBootstrap.randomPassword())
                .isNotEqualTo(AdminBootstrap.randomPassword())
                .hasSize(24);
    }

    @Test
    void configuredPasswordIsUsedAndNeverLogged(CapturedOutput output) {
        when(users.save(any())).thenAnswer(call -> call.getArgument(0));

        bootstrap("from-the-environment").bootstrap();

        ArgumentCaptor<UserAccount> saved = ArgumentCaptor.forClass(UserAccount.class);
        verify(users).save(saved.capture());
        assertThat(passwords.matches("from-the-environment", saved.getValue().getPasswordHash()))
                .isTrue();
        assertThat(output.getOut()).doesNotContain("from-the-environment").doesNotContain("generated password");
    }

    @Test
    void existingOrganizationsAreLeftAlone() {
        when(organizations.count()).thenReturn(3L);
        when(users.count()).thenReturn(2L);

        bootstrap("x").bootstrap();

        verify(organizations, never()).save(any());
        verify(users, never()).save(any());
    }

    private AdminBootstrap bootstrap(String configuredPassword) {
        return new AdminBootstrap(
                organizations, users, passwords, transaction, new AdminProperties(configuredPassword));
    }
}
