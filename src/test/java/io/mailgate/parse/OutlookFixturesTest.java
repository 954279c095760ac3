package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The .msg and winmail.dat checked in inside the golden messages are what {@link OutlookFixtures} builds. */
class OutlookFixturesTest {

    private final MimeParser parser = new MimeParser(ParseLimits.defaults());

    @Test
    void checkedInMsgIsTheGeneratedOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parser.copyAttachment(Fixtures.email("outlook-msg-report.eml"), 0, out);
        assertThat(out.toByteArray()).isEqualTo(OutlookFixtures.phishMsg());
    }

    @Test
    void checkedInWinmailDatIsTheGeneratedOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parser.copyAttachment(Fixtures.email("tnef-winmail.eml"), 0, out);
        assertThat(out.toByteArray()).isEqualTo(OutlookFixtures.winmailDat());
    }
}
