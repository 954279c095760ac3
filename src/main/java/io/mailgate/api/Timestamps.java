package io.mailgate.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as stored: millisecond precision, so what a create returns equals what a later read returns. */
public final class Timestamps {

    private Timestamps() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
