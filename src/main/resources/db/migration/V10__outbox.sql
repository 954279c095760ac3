-- The outbox. Every change to an incident already takes the next position of the change feed
-- (incidents.change_seq, in the same transaction as the change and in commit order), so the feed itself is the
-- outbox: each forwarder keeps here how far it has delivered, and moves on only after its endpoint accepted.
-- Written once for H2 2.x and PostgreSQL 15.
CREATE TABLE outbox_forwarders (
    forwarder       VARCHAR(64)   NOT NULL PRIMARY KEY,
    last_change_seq BIGINT        NOT NULL,
    delivered       BIGINT        NOT NULL,
    last_success_at TIMESTAMP WITH TIME ZONE,
    last_failure_at TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(2000)
);

-- Tags that routes hooked into the pipeline put on incidents (exchange property mailgateIncidentTags).
CREATE TABLE incident_tags (
    incident_id BIGINT       NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    tag         VARCHAR(100) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (incident_id, tag)
);
