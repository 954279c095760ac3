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

    private final SqlDialect dialect;

    ChangeSequence(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    long next() {
        // One statement (UPDATE ... RETURNING, or H2's FINAL TABLE) instead of an UPDATE and a SELECT.
        return jdbc.queryForObject(dialect.nextChangeSequence(), Long.class);
    }
}
