package io.mailgate.incident;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Positions in the incident change feed. The UPDATE locks the single counter row until the caller's
 * transaction ends, so positions are handed out in commit order: a SOAR that has seen position n has seen
 * every position below n, and paging with ?after= never skips a change that commits later.
 */
@Component
class ChangeSequence {

    private final JdbcTemplate jdbc;

    ChangeSequence(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    long next() {
        jdbc.update("UPDATE change_sequence SET last_value = last_value + 1 WHERE id = 1");
        return jdbc.queryForObject("SELECT last_value FROM change_sequence WHERE id = 1", Long.class);
    }
}
