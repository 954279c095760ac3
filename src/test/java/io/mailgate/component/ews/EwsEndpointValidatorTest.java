package io.mailgate.component.ews;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EwsEndpointValidatorTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://outlook.office365.com/EWS/Exchange.asmx",
                "https://OUTLOOK.OFFICE365.COM/ews/exchange.asmx",
                "https://outlook.office.com/EWS/Exchange.asmx",
                "https://outlook.office365.us/EWS/Exchange.asmx",
                "https://outlook-dod.office365.us/EWS/Exchange.asmx",
                "https://webmail.apps.mil/EWS/Exchange.asmx",
                "https://partner.outlook.cn/EWS/Exchange.asmx",
                "https://outlook.office365.com.cn/EWS/Exchange.asmx",
                "https://outlook.office.com./EWS/Exchange.asmx",
                "https://outlook.office.de/EWS/Exchange.asmx"
            })
    void exchangeOnlinePointsToOAuth(String url) {
        assertThat(EwsEndpointValidator.validate(url))
                .hasValueSatisfying(m -> assertThat(m).contains("OAuth").contains("Microsoft Graph"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://mail.example.com/EWS/Exchange.asmx",
                "https://10.0.0.5:8443/EWS/Exchange.asmx",
                "https://outlook.example.com/EWS/Exchange.asmx",
                "https://mail.notoffice365.com/EWS/Exchange.asmx"
            })
    void onPremisesEndpointsPass(String url) {
        assertThat(EwsEndpointValidator.validate(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "mail.example.com",
                "http://mail.example.com/EWS/Exchange.asmx",
                "https://user:pw@mail.example.com/EWS/Exchange.asmx",
                "https://exa mple.com/"
            })
    void badEndpointsAreExplained(String url) {
        assertThat(EwsEndpointValidator.validate(url))
                .hasValueSatisfying(m -> assertThat(m).isNotBlank().doesNotContain("pw"));
    }
}
